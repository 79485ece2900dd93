/** Bad input on the real binary: clear errors, stable exit codes, JSON-only stdout, nothing lost. */
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {EXIT_CODES} from '../../src/core/domain/errors.js'
import {type Sandbox, createSandbox} from '../helpers/cli.js'

let box: Sandbox
beforeAll(async () => {
  box = await createSandbox()
})
afterAll(async () => {
  await box.cleanup()
})

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

describe('CLI errors', () => {
  it.each([
    [['session', 'status', 'nope'], EXIT_CODES.NOT_FOUND, 'NOT_FOUND', /No session named "nope"/],
    [['session', 'create', 'bad name', '--root', '.'], EXIT_CODES.INVALID_INPUT, 'INVALID_INPUT', /name: must be 1–64 characters/],
    [['session', 'create', 'x', '--root', '/definitely/not/here'], EXIT_CODES.INVALID_INPUT, 'INVALID_INPUT', /does not exist: \/definitely\/not\/here/],
    [['agent', 'read', 'ghost'], EXIT_CODES.NOT_FOUND, 'NOT_FOUND', /No agent named "ghost"/],
    [['agent', 'delete', 'ghost'], EXIT_CODES.CONFIRMATION_REQUIRED, 'CONFIRMATION_REQUIRED', /no terminal to ask on/],
    [['config', 'set', 'maxAgents', 'lots'], EXIT_CODES.INVALID_INPUT, 'INVALID_INPUT', /Invalid value for maxAgents/],
    [['session', 'status'], EXIT_CODES.INVALID_INPUT, 'INVALID_INPUT', /Missing 1 required arg/],
  ])('%j → exit %i', async (args, exit, code, message) => {
    const result = await box.run([...args, '--json'])
    expect(result.exitCode).toBe(exit)
    expect(result.json, `stdout is one JSON document: ${result.stdout}`).toBeDefined()
    expect((result.json as Json).error).toMatchObject({code, exitCode: exit, message: expect.stringMatching(message)})
    const human = await box.run(args)
    expect(human.exitCode).toBe(exit)
    expect(human.stdout).toBe('')
    expect(human.stderr).toMatch(message)
  })

  it('duplicates, limits and control characters keep the state intact', async () => {
    expect((await box.run(['session', 'create', 'one', '--root', box.root])).exitCode).toBe(0)
    expect((await box.run(['session', 'create', 'one', '--root', box.root])).exitCode).toBe(EXIT_CODES.ALREADY_EXISTS)
    const limited = await box.run(['session', 'create', 'two', '--root', box.root, '--max-sessions', '1', '--json'])
    expect(limited.exitCode).toBe(EXIT_CODES.LIMIT_REACHED)
    expect((limited.json as Json).error.hint).toMatch(/--max-sessions/)
    await box.run(['agent', 'create', 'one', '--command', 'sleep 600'])
    const control = await box.run(['agent', 'send', 'one/Agent_1', 'bell\u0007'])
    expect(control.exitCode).toBe(EXIT_CODES.INVALID_INPUT)
    expect(control.stderr).toMatch(/U\+0007/)
    const big = await box.run(['agent', 'send', 'one/Agent_1', '-'], {input: 'x'.repeat(70_000)})
    expect(big.exitCode).toBe(EXIT_CODES.INVALID_INPUT)
    expect(big.stderr).toMatch(/limit is 65536 bytes/)
    const list = (await box.run(['session', 'list', '--json'])).json as Json
    expect(list.sessions).toEqual([expect.objectContaining({name: 'one', agents: 1})])
    await box.run(['session', 'delete', 'one', '--yes'])
  }, 60_000)

  it('a corrupt state file is named and left alone', async () => {
    const file = path.join(box.home, 'state.json')
    await writeFile(file, 'not json')
    const result = await box.run(['session', 'list', '--json'])
    expect(result.exitCode).toBe(EXIT_CODES.STATE_INVALID)
    expect((result.json as Json).error.message).toContain(file)
    await writeFile(file, JSON.stringify({schemaVersion: 1, sessions: [], agents: []}))
  })

  it('the built binary prints help and version without touching state, and errors as JSON', async () => {
    const help = await box.spawn(['agent', 'send', '--help'])
    expect(help.exitCode).toBe(0)
    expect(help.stdout).toMatch(/verbatim/)
    expect((await box.spawn(['--version'])).stdout).toMatch(/^ccmcp\/\d+\.\d+\.\d+/)
    const missing = await box.spawn(['session', 'status', 'nope', '--json'])
    expect(missing.exitCode).toBe(EXIT_CODES.NOT_FOUND)
    expect((missing.json as Json).error).toMatchObject({code: 'NOT_FOUND'})
    // Three cold starts of the binary: generous on a loaded machine.
  }, 120_000)
})
