/**
 * The fast path (bin/run.js answering --version, `session status`, `session list` and
 * `agent list` without oclif, src/cli/fast) prints exactly what oclif prints: the same stdout,
 * stderr and exit code for results, --json, bad input and missing sessions, on the built binary
 * with real tmux agents. Argv it is not certain of goes to oclif.
 */
import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js'
import {Parser} from '@oclif/core'
import {execa} from 'execa'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {LIMIT_BOUNDS, fastRoute} from '../../src/cli/fast/route.js'
import Serve from '../../src/commands/serve.js'
import {Config} from '../../src/core/domain/config.js'
import {type Sandbox, binPath, createSandbox, repoRoot} from '../helpers/cli.js'

const oclifOnly = path.join(repoRoot, 'test', 'fixtures', 'oclif-run.mjs')
const reportOclif = path.join(repoRoot, 'test', 'fixtures', 'report-oclif.mjs')

let box: Sandbox
beforeAll(async () => {
  box = await createSandbox()
  expect((await box.run(['session', 'create', 'alpha', '--root', box.root])).exitCode).toBe(0)
  expect((await box.run(['session', 'create', 'empty', '--root', box.root])).exitCode).toBe(0)
  for (let index = 0; index < 2; index++) expect((await box.run(['agent', 'create', 'alpha', '--command', 'sleep 600'])).exitCode).toBe(0)
}, 60_000)
afterAll(async () => {
  await box.cleanup()
})

async function ccmcp(script: string, args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const result = await execa(process.execPath, [...nodeArgs, script, ...args], {reject: false, stdin: 'ignore', env: {...box.env, ...env}, timeout: 60_000})
  return {stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode}
}

describe('the fast path prints what oclif prints', () => {
  it.each([
    [['--version']],
    [['session', 'status', 'alpha']],
    [['session', 'status', 'alpha', '--json']],
    [['session', 'status', '--json', 'empty']],
    [['session', 'status', 'nope']],
    [['session', 'status', 'nope', '--json']],
    [['session', 'status', 'bad/name', '--json']],
    [['session', 'list', '--json']],
    [['agent', 'list']],
    [['agent', 'list', '-s', 'alpha']],
    [['agent', 'list', '--session=alpha', '--json']],
    [['agent', 'list', '--session', 'nope', '--json']],
  ])('ccmcp %j', async (args) => {
    const fast = await ccmcp(binPath, args, {}, ['--import', reportOclif])
    expect(fast.stderr).toMatch(/oclif loaded: false$/)
    const reference = await ccmcp(oclifOnly, args)
    expect({...fast, stderr: fast.stderr.replace(/\n?oclif loaded: false$/, '')}).toEqual(reference)
  }, 60_000)

  it('colours the status as oclif does when asked to (FORCE_COLOR)', async () => {
    const env = {NO_COLOR: '', FORCE_COLOR: '1'}
    const fast = await ccmcp(binPath, ['session', 'status', 'alpha'], env)
    expect(fast.stdout).toContain('\u001B[')
    expect(fast).toEqual(await ccmcp(oclifOnly, ['session', 'status', 'alpha'], env))
  }, 60_000)

  it.each([
    [['session', 'status']],
    [['session', 'status', 'alpha', '--help']],
    [['agent', 'list', '--sesion', 'alpha']],
  ])('leaves %j to oclif (usage errors, help)', async (args) => {
    const result = await ccmcp(binPath, args, {}, ['--import', reportOclif])
    expect(result.stderr).toMatch(/oclif loaded: true$/)
  }, 60_000)
})

describe('fastRoute', () => {
  const route = (...argv: string[]) => fastRoute(argv, {})

  it('takes only argv whose meaning is certain', () => {
    expect(route('--version')).toEqual({kind: 'version'})
    expect(route('--version', 'anything')).toEqual({kind: 'version'})
    expect(route('session', 'status', 'a')).toEqual({kind: 'command', command: 'session status', json: false, name: 'a'})
    expect(route('session', 'status', '--json', 'a')).toEqual({kind: 'command', command: 'session status', json: true, name: 'a'})
    expect(route('session', 'list', '--json')).toEqual({kind: 'command', command: 'session list', json: true})
    expect(route('agent', 'list')).toEqual({kind: 'command', command: 'agent list', json: false})
    expect(route('agent', 'list', '-s', 'a', '--json')).toEqual({kind: 'command', command: 'agent list', json: true, session: 'a'})
    expect(route('agent', 'list', '--session=a')).toEqual({kind: 'command', command: 'agent list', json: false, session: 'a'})
  })

  it.each([
    [[]],
    [['-v']],
    [['help']],
    [['session', 'status']],
    [['session', 'status', 'a', 'b']],
    [['session', 'status', 'a', '--json', '--json']],
    [['session', 'status', 'a', '--help']],
    [['session', 'status', 'a', '-h']],
    [['session', 'status', '--', 'a']],
    [['session', 'status', '-a']],
    [['session', 'status', '']],
    [['session:status', 'a']],
    [['session', 'list', 'extra']],
    [['session', 'create', 'a']],
    [['agent', 'list', '--session']],
    [['agent', 'list', '--session=']],
    [['agent', 'list', '-s', '--json']],
    [['agent', 'list', '-s', 'a', '-s', 'b']],
    [['agent', 'list', '-sa']],
    [['agent', 'list', '--all']],
  ])('leaves %j to oclif', (argv) => {
    expect(fastRoute(argv, {})).toBeUndefined()
  })

  it('leaves everything to oclif when the environment changes how oclif prints (DEBUG, CCMCP_CONTENT_TYPE)', () => {
    expect(fastRoute(['session', 'list'], {DEBUG: '*'})).toBeUndefined()
    expect(fastRoute(['--version'], {CCMCP_CONTENT_TYPE: 'json'})).toBeUndefined()
  })
})

describe('serve without oclif', () => {
  // What installed clients and agents run, and the other well-formed shapes: the fast path.
  const FAST_SERVE: string[][] = [
    [],
    ['--agent', '--security-level', 'MEDIUM'],
    ['--security-level=LOW', '--max-agents', '4', '--max-sessions=2'],
    ['--transport', 'http', '--port', '0', '--host', 'localhost', '--token', 'abc'],
    ['--log-dir', '/tmp/x y', '--port=65535', '--max-agents', '1000'],
  ]
  // What oclif refuses, or the fast path is not sure of: oclif parses it (and reports what is wrong).
  const OCLIF_SERVE: string[][] = [
    ['--security-level', 'low'],
    ['--port', '65536'],
    ['--port', '-1'],
    ['--port', '08x'],
    ['--max-agents', '0'],
    ['--max-agents', '1001'],
    ['--transport', 'sse'],
    ['--agent=true'],
    ['--no-agent'],
    ['--agent', '--agent'],
    ['--port', '1', '--port', '2'],
    ['--host'],
    ['--host='],
    ['--token', '--agent'],
    ['--help'],
    ['-h'],
    ['--json'],
    ['--__proto__', 'x'],
    ['--constructor', 'x'],
    ['extra'],
    ['--', '--agent'],
  ]

  /** oclif's own parse of `serve`'s flags, or its error. */
  async function oclifParse(argv: string[], token?: string): Promise<Record<string, unknown> | Error> {
    const saved = process.env.CCMCP_TOKEN
    if (token === undefined) delete process.env.CCMCP_TOKEN
    else process.env.CCMCP_TOKEN = token
    try {
      return (await Parser.parse(argv, {flags: Serve.flags, args: {}, strict: true})).flags
    } catch (error) {
      return error as Error
    } finally {
      if (saved === undefined) delete process.env.CCMCP_TOKEN
      else process.env.CCMCP_TOKEN = saved
    }
  }

  it.each(FAST_SERVE)('serve %j takes the fast path with the flags oclif parses', async (...argv) => {
    for (const token of [undefined, 'from-env']) {
      const route = fastRoute(['serve', ...argv], token === undefined ? {} : {CCMCP_TOKEN: token})
      expect(route?.kind).toBe('serve')
      expect(route?.kind === 'serve' && route.flags).toEqual(await oclifParse(argv, token))
    }
  })

  it.each(OCLIF_SERVE)('serve %j is left to oclif', (...argv) => {
    expect(fastRoute(['serve', ...argv], {})).toBeUndefined()
  })

  it('an empty CCMCP_TOKEN is left to oclif', () => {
    expect(fastRoute(['serve'], {CCMCP_TOKEN: ''})).toBeUndefined()
  })

  it('bounds --max-agents and --max-sessions as the config schema does', () => {
    for (const key of ['maxAgents', 'maxSessions'] as const) {
      expect({min: Config.shape[key].unwrap().minValue, max: Config.shape[key].unwrap().maxValue}).toEqual(LIMIT_BOUNDS)
    }
  })

  it('the built binary serves without loading oclif, and leaves a bad flag to oclif (usage error)', async () => {
    const stderr: string[] = []
    const transport = new StdioClientTransport({command: process.execPath, args: ['--import', reportOclif, binPath, 'serve', '--security-level', 'LOW'], env: box.env as Record<string, string>, stderr: 'pipe'})
    transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')))
    const client = new Client({name: 'fast-serve', version: '1.0.0'})
    await client.connect(transport)
    const {tools} = await client.listTools()
    expect(tools.map((tool) => tool.name)).toContain('get_session_status')
    expect(tools.map((tool) => tool.name)).not.toContain('create_session')
    const status = await client.callTool({name: 'get_session_status', arguments: {name: 'alpha'}})
    expect((status.structuredContent as {agents: unknown[]}).agents).toHaveLength(2)
    await client.close()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(stderr.join('')).toMatch(/oclif loaded: false\n$/)

    const bad = await ccmcp(binPath, ['serve', '--port', 'eighty'], {}, ['--import', reportOclif])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toMatch(/oclif loaded: true$/)
  }, 60_000)
})
