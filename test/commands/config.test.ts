/** Issue 9 item 24: every config key can be read, set, listed in help and put back to its default. */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {CONFIG_KEYS} from '../../src/core/domain/config.js'
import {EXIT_CODES} from '../../src/core/domain/errors.js'
import {type Sandbox, createSandbox} from '../helpers/cli.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

let box: Sandbox
beforeAll(async () => {
  box = await createSandbox()
})
afterAll(async () => {
  await box.cleanup()
})

describe('ccmcp config', () => {
  it.each(CONFIG_KEYS)('get %s works, set or not', async (key) => {
    const result = await box.run(['config', 'get', key])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout.split('\n')[1]).toMatch(new RegExp(`^${key} +\\S`))
  })

  it('set, get and unset an optional key: it goes back to its default', async () => {
    expect((await box.run(['config', 'set', 'claudeBin', '/opt/claude'])).stdout).toBe('claudeBin = /opt/claude')
    expect((await box.run(['config', 'get', 'claudeBin'])).stdout).toMatch(/^claudeBin +\/opt\/claude$/m)
    const unset = await box.run(['config', 'unset', 'claudeBin', '--json'])
    expect(unset.exitCode, unset.stderr).toBe(0)
    expect((unset.json as Json).config).not.toHaveProperty('claudeBin')
    expect((await box.run(['config', 'get', 'claudeBin'])).stdout).toMatch(/^claudeBin +\(default\)$/m)
  })

  it('unset a key with a default restores the default', async () => {
    await box.run(['config', 'set', 'maxAgents', '3'])
    expect((await box.run(['config', 'unset', 'maxAgents'])).stdout).toBe('maxAgents = 16')
  })

  it('an unknown key is a usage error naming every key, for get, set and unset', async () => {
    for (const args of [['config', 'get', 'nope'], ['config', 'set', 'nope', '1'], ['config', 'unset', 'nope']]) {
      const result = await box.run([...args, '--json'])
      expect(result.exitCode).toBe(EXIT_CODES.INVALID_INPUT)
      expect((result.json as Json).error).toMatchObject({message: 'Unknown config key "nope".', hint: `Known keys: ${CONFIG_KEYS.join(', ')}.`})
    }
  })

  it('config set --help lists every key', async () => {
    const help = await box.run(['config', 'set', '--help'])
    for (const key of CONFIG_KEYS) expect(help.stdout).toContain(`${key}:`)
  })
})
