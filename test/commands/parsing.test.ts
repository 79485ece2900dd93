/**
 * Argument parsing, --json and exit codes of the commands, in-process through the injectable IO
 * with a recording core: what each command line asks core for, and how each failure ends.
 */
import {describe, expect, it} from 'vitest'

import {PermissionMode} from '../../src/core/domain/config.js'
import {EXIT_CODES} from '../../src/core/domain/errors.js'
import {operations} from '../../src/core/pipeline/registry.js'
import {fakeRuntime, runCli} from '../helpers/cli.js'
import {agent} from '../tui/fake-core.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

describe('flags come from the operation schemas', () => {
  it('agent create passes every flag to create_agent, and --max-agents as a limit', async () => {
    const fake = await fakeRuntime(() => ({agent: agent('Agent_1')}))
    const result = await runCli(['agent', 'create', 'api', '-n', 'rev', '-c', 'sleep 9', '-p', 'hi', '--permission-mode', 'plan', '--no-wait', '--max-agents', '3'], fake)
    expect(result.exitCode, result.stderr).toBe(0)
    expect(fake.calls).toEqual([
      {name: 'create_agent', input: {session: 'api', name: 'rev', command: 'sleep 9', prompt: 'hi', permissionMode: 'plan', wait: false}, limits: {maxAgents: 3}},
    ])
  })

  it('defaults are the schema defaults: create waits, send waits 600 s with --wait', async () => {
    const fake = await fakeRuntime((name) => (name === 'create_agent' ? {agent: agent('Agent_1')} : {agent: agent('Agent_1'), delivery: 'delivered', messageId: 'm', reply: 'ok'}))
    await runCli(['agent', 'create', 'api'], fake)
    await runCli(['agent', 'send', 'api/Agent_1', '--wait', '--', '-n starts with a dash'], fake)
    expect(fake.calls.map((call) => call.input)).toEqual([
      {session: 'api', wait: operations.create_agent.input.shape.wait.parse(undefined)},
      {agent: 'api/Agent_1', message: '-n starts with a dash', raw: false, wait: true, timeoutSeconds: operations.send_message_to_agent.input.shape.timeoutSeconds.parse(undefined)},
    ])
  })

  it('an enum value outside the schema is a usage error naming the allowed ones, as JSON with --json', async () => {
    const fake = await fakeRuntime()
    const result = await runCli(['agent', 'create', 'api', '--permission-mode', 'yolo', '--json'], fake)
    expect(result.exitCode).toBe(EXIT_CODES.INVALID_INPUT)
    expect((result.json as Json).error).toMatchObject({code: 'INVALID_INPUT', message: expect.stringContaining(PermissionMode.options.join(', '))})
    expect(fake.calls).toEqual([])
  })

  it('a bound from the schema is enforced before core is called', async () => {
    const fake = await fakeRuntime()
    const result = await runCli(['agent', 'read', 'a', '--lines', '0'], fake)
    expect(result.exitCode).toBe(EXIT_CODES.INVALID_INPUT)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/--lines/)
    expect(fake.calls).toEqual([])
  })

  it('help shows the schema descriptions, enum options and defaults; exit codes come from the table', async () => {
    const create = await runCli(['agent', 'create', '--help'])
    const flat = (text: string) => text.replaceAll(/\s+/g, ' ')
    expect(flat(create.stdout)).toContain(flat(operations.create_agent.input.shape.command.description ?? '-'))
    expect(create.stdout.replaceAll(/\s+/g, '')).toContain(`<options:${PermissionMode.options.join('|')}>`)
    expect(create.stdout).toMatch(/--\[no-\]wait/)
    const wait = await runCli(['agent', 'wait', '--help'])
    expect(wait.stdout).toContain('[default: 600]')
    for (const code of ['AGENT_ERROR', 'AGENT_NOT_RUNNING', 'TIMEOUT'] as const) expect(flat(wait.stdout)).toContain(`exit ${EXIT_CODES[code]}, ${code}`)
  })
})

describe('exit codes and --json', () => {
  it('a core error ends with its exit code: JSON on stdout with --json, message and hint on stderr without', async () => {
    const {CcmcpError} = await fakeRuntime()
    const failing = await fakeRuntime(() => {
      throw new CcmcpError('NOT_FOUND', 'No agent named "ghost".', {hint: 'Known agents: api/Agent_1.'})
    })
    const json = await runCli(['agent', 'focus', 'ghost', '--json'], failing)
    expect(json.exitCode).toBe(EXIT_CODES.NOT_FOUND)
    expect(json.json).toEqual({error: {code: 'NOT_FOUND', message: 'No agent named "ghost".', hint: 'Known agents: api/Agent_1.', exitCode: EXIT_CODES.NOT_FOUND}})
    expect(json.stderr).toBe('')
    const human = await runCli(['agent', 'focus', 'ghost'], failing)
    expect(human.exitCode).toBe(EXIT_CODES.NOT_FOUND)
    expect(human.stdout).toBe('')
    expect(human.stderr).toMatch(/No agent named "ghost"[\s\S]*Known agents: api\/Agent_1/)
  })

  it('anything else thrown is UNEXPECTED', async () => {
    const failing = await fakeRuntime(() => {
      throw new TypeError('boom')
    })
    const result = await runCli(['session', 'list', '--json'], failing)
    expect(result.exitCode).toBe(EXIT_CODES.UNEXPECTED)
    expect((result.json as Json).error).toMatchObject({code: 'UNEXPECTED', message: 'boom'})
  })

  it('an unknown command is a usage error, as JSON with --json', async () => {
    const json = await runCli(['sesion', 'list', '--json'])
    expect(json.exitCode).toBe(EXIT_CODES.INVALID_INPUT)
    expect((json.json as Json).error).toMatchObject({code: 'INVALID_INPUT', message: expect.stringContaining('sesion'), hint: expect.stringContaining('session')})
    const human = await runCli(['agent', 'sned'])
    expect(human.exitCode).toBe(EXIT_CODES.INVALID_INPUT)
    expect(human.stdout).toBe('')
    expect(human.stderr).toContain('ccmcp agent sned')
  })

  it('a destructive command asks for confirmation: refused without a terminal, done with --yes', async () => {
    const fake = await fakeRuntime(() => ({deleted: {session: 'api', agents: []}}))
    const refused = await runCli(['session', 'delete', 'api', '--json'], fake)
    expect(refused.exitCode).toBe(EXIT_CODES.CONFIRMATION_REQUIRED)
    expect((refused.json as Json).error.hint).toMatch(/--yes/)
    expect(fake.calls).toEqual([])
    const done = await runCli(['session', 'delete', 'api', '--yes'], fake)
    expect(done.exitCode, done.stderr).toBe(0)
    expect(fake.calls.map((call) => call.name)).toEqual(['delete_session'])
  })

  it('a message "-" is read from stdin, one trailing newline dropped', async () => {
    const fake = await fakeRuntime(() => ({agent: agent('Agent_1'), delivery: 'delivered', messageId: 'm', reply: null}))
    const result = await runCli(['agent', 'send', 'api/Agent_1', '-'], {...fake, input: 'line one\nline two\n\n'})
    expect(result.stdout).toBe('delivered: api/Agent_1')
    expect(fake.calls[0]?.input.message).toBe('line one\nline two\n')
  })

  it('doctor exits with the code of its first failed check, after printing the result', async () => {
    const fake = await fakeRuntime(() => ({
      ok: false,
      checks: [{name: 'backend tmux', status: 'fail', detail: 'tmux not found', hint: 'Install tmux.', code: 'BACKEND_UNAVAILABLE'}],
      programs: [],
      claudeDesktop: {configFile: '/x.json', snippet: {}},
    }))
    const result = await runCli(['doctor', '--json'], fake)
    expect(result.exitCode).toBe(EXIT_CODES.BACKEND_UNAVAILABLE)
    expect((result.json as Json).checks[0].code).toBe('BACKEND_UNAVAILABLE')
  })
})
