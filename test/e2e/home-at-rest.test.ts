/**
 * Issue 12 items 5 and 6 on a real run of the built CLI under umask 000: a session, an agent
 * (a real program on real tmux, reporting through the real hook), a message queued for it while
 * it is busy, a hook event, `serve` started and stopped. Then the whole ccmcp home is walked:
 * every directory 0700, every file 0600, and the unique word of the queued message in no file.
 */
import {execa} from 'execa'
import {randomUUID} from 'node:crypto'
import {existsSync} from 'node:fs'
import {lstat, mkdtemp, readFile, readdir, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {type Sandbox, binPath, createSandbox, eventually, hookScript, repoRoot} from '../helpers/cli.js'
import {readStoreFile} from '../helpers/at-rest.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

let box: Sandbox | undefined
let outside: string | undefined
afterEach(async () => {
  await box?.cleanup()
  if (outside) await rm(outside, {recursive: true, force: true})
  box = outside = undefined
})

/** Every entry under `dir` with its permission bits and kind. */
async function walk(dir: string): Promise<{file: string; mode: number; kind: 'dir' | 'file' | 'socket' | 'other'}[]> {
  const out: {file: string; mode: number; kind: 'dir' | 'file' | 'socket' | 'other'}[] = []
  for (const name of await readdir(dir)) {
    const file = path.join(dir, name)
    const info = await lstat(file)
    const kind = info.isDirectory() ? 'dir' : info.isFile() ? 'file' : info.isSocket() ? 'socket' : 'other'
    out.push({file, mode: info.mode & 0o777, kind})
    if (kind === 'dir') out.push(...(await walk(file)))
  }
  return out
}

describe('the ccmcp home after a real run under umask 000', () => {
  it('is 0700 with every file 0600, and a queued message’s words are in no file', async () => {
    box = await createSandbox()
    const s = box
    outside = await mkdtemp(path.join(os.tmpdir(), 'ccout-'))
    const word = `zq${randomUUID().replaceAll('-', '')}`
    // The built CLI, each command a process of its own started with umask 000.
    const ccmcp = (args: string[], options: {input?: string} = {}) =>
      execa('sh', ['-c', 'umask 000; exec "$@"', 'sh', process.execPath, binPath, ...args, '--json'], {env: {...process.env, ...s.env}, reject: false, input: options.input, timeout: 60_000})

    expect((await ccmcp(['session', 'create', 'rest', '--root', s.root])).exitCode).toBe(0)
    const ready = path.join(outside, 'ready')
    const agentCommand = [process.execPath, path.join(repoRoot, 'test', 'fixtures', 'busy-agent.mjs'), hookScript, ready].map((part) => JSON.stringify(part)).join(' ')
    const created = await ccmcp(['agent', 'create', 'rest', '--command', agentCommand])
    expect(created.exitCode, created.stderr).toBe(0)
    await eventually(async () => (existsSync(ready) ? true : undefined), 30_000)
    // Hooks spool their events; a reader (any command) folds them into the state.
    await eventually(async () => (JSON.parse((await ccmcp(['agent', 'list'])).stdout).agents[0]?.status === 'busy' ? true : undefined), 30_000)

    const sent = await ccmcp(['agent', 'send', 'rest/Agent_1', `please remember ${word} for later`])
    expect(sent.exitCode, sent.stderr).toBe(0)
    expect(JSON.parse(sent.stdout)).toMatchObject({delivery: 'queued'})
    // A hook event that carries the word (the agent's reply), through the real hook entry point in the agent's environment.
    const agentEnv = Object.fromEntries((await s.tmux(['show-environment', '-t', 'rest'])).stdout.split('\n').filter((line) => line.includes('=')).map((line) => line.split(/=(.*)/s).slice(0, 2)))
    const launchId = ((await readStoreFile(s.home)) as Json).agents[0].launchId as string
    const hooked = await execa('sh', ['-c', 'umask 000; exec "$@"', 'sh', process.execPath, hookScript], {
      env: {...process.env, ...s.env, ...agentEnv, CCMCP_SESSION: 'rest', CCMCP_AGENT: 'Agent_1', CCMCP_LAUNCH_ID: launchId},
      input: JSON.stringify({hook_event_name: 'Notification', notification_type: 'idle_prompt', message: `still thinking about ${word}`}),
      reject: false,
    })
    expect(hooked.exitCode).toBe(0)
    expect((await ccmcp(['agent', 'list'])).exitCode).toBe(0)
    // A hook that fails (garbage on stdin) writes hook.log; its error must not carry the text.
    await execa('sh', ['-c', 'umask 000; exec "$@"', 'sh', process.execPath, hookScript], {env: {...process.env, ...s.env, CCMCP_SESSION: 'rest', CCMCP_AGENT: 'Agent_1', CCMCP_LAUNCH_ID: launchId}, input: `${word} is not JSON`, reject: false})
    expect(existsSync(path.join(s.home, 'logs', 'hook.log'))).toBe(true)

    // serve, briefly: serve.log.
    const serve = execa('sh', ['-c', 'umask 000; exec "$@"', 'sh', process.execPath, binPath, 'serve'], {env: {...process.env, ...s.env}, reject: false, stdin: 'pipe'})
    await eventually(async () => (existsSync(path.join(s.home, 'logs', 'serve.log')) ? true : undefined), 30_000)
    serve.kill('SIGTERM')
    await serve

    const state = (await readStoreFile(s.home)) as Json
    expect(state.agents[0].queue.map((message: Json) => message.text)).toEqual([expect.stringContaining(word)])

    const entries = await walk(s.home)
    // records/ is the test fixture's, not ccmcp's (the fake agent's own files); nothing else is skipped.
    const ours = entries.filter((entry) => !entry.file.startsWith(path.join(s.home, 'records')))
    expect(ours.map((entry) => path.relative(s.home, entry.file))).toEqual(expect.arrayContaining(['state.json', 'keys/master.key', 'logs/hook.log', 'logs/serve.log', 'tmux/launch.sh', `events/rest/Agent_1.jsonl`, 'spool/key', 'spool/key.pub', 'spool/rest~Agent_1.spool']))
    const wrongModes = ours
      .filter((entry) => (entry.kind === 'dir' ? entry.mode !== 0o700 : entry.kind === 'file' ? entry.mode !== 0o600 : (entry.mode & 0o077) !== 0))
      .map((entry) => `${path.relative(s.home, entry.file)} ${entry.kind} 0${entry.mode.toString(8)}`)
    expect(wrongModes).toEqual([])
    expect((await lstat(s.home)).mode & 0o777).toBe(0o700)
    const holding = []
    for (const entry of ours.filter((candidate) => candidate.kind === 'file')) {
      // V8 quotes the first 10 characters of bad JSON in its error: look for those too.
      const bytes = await readFile(entry.file)
      if (bytes.includes(word) || bytes.includes(word.slice(0, 10))) holding.push(path.relative(s.home, entry.file))
    }
    expect(holding).toEqual([])
  }, 180_000)
})
