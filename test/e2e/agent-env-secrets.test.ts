/**
 * An agent's environment never travels on an argv, and ccmcp's own secrets never reach agents.
 * The built CLI creates a real agent on real tmux while this test records every argv: tmux is
 * wrapped (the wrapper logs its argv, then runs the real tmux) and /proc/<pid>/cmdline of every
 * process is read over and over until the agent has written out the environment it got.
 */
import {execa} from 'execa'
import {randomUUID} from 'node:crypto'
import {existsSync} from 'node:fs'
import {chmod, readFile, readdir, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {TERMINAL_OWNED_ENV} from '../../src/core/adapters/tmux/args.js'
import {type Sandbox, createSandbox, eventually} from '../helpers/cli.js'

let sandbox: Sandbox | undefined
afterEach(async () => {
  await sandbox?.cleanup()
  sandbox = undefined
})

/** Every process's argv, read until `stop` resolves (what any local user can see). */
function watchArgvs(stop: Promise<unknown>): Promise<string[]> {
  const seen = new Set<string>()
  let done = false
  void stop.finally(() => (done = true))
  return (async () => {
    while (!done) {
      for (const pid of await readdir('/proc').catch(() => [])) {
        if (!/^\d+$/.test(pid)) continue
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
        if (cmdline) seen.add(cmdline)
      }
      await new Promise((resolve) => setImmediate(resolve))
    }
    return [...seen]
  })()
}

describe('agent environment (built CLI, real tmux)', () => {
  it.skipIf(process.platform !== 'linux')('never puts an environment value on any argv, drops CCMCP_TOKEN, and gives the agent exactly its environment (> 40 KB)', async () => {
    sandbox = await createSandbox()
    const s = sandbox
    const marker = `mk${randomUUID().replaceAll('-', '')}`
    const token = `tok${randomUUID().replaceAll('-', '')}`
    const tricky = `${marker} 'single' "double" $(touch /tmp/ccmcp-pwned) \`x\` \\back\\slash; a=b\n line two\ttab ünïcödé 🙂\n`
    const secrets: Record<string, string> = {
      SECRET_BIG_A: `${marker}-${'a'.repeat(20_000)}`,
      SECRET_BIG_B: `${tricky.repeat(200)}`.slice(0, 24_000) + marker,
      SECRET_SMALL: `${marker}-small`,
      SECRET_ENDS_NEWLINE: `${marker}\n\n`,
      SECRET_EMPTY_NEXT: '',
    }
    expect(Object.values(secrets).join('').length).toBeGreaterThan(40_000)

    // tmux, wrapped: every argv ccmcp gives it is logged before the real tmux runs.
    const realTmux = (await execa('sh', ['-c', 'command -v tmux'])).stdout.trim()
    const wrapperDir = path.join(s.home, 'wrap')
    const argvLog = path.join(s.home, 'tmux-argv.log')
    await execa('mkdir', ['-p', wrapperDir])
    await writeFile(path.join(wrapperDir, 'tmux'), `#!/bin/sh\nprintf '%s\\n' "$*" >>'${argvLog}'\nexec '${realTmux}' "$@"\n`)
    await chmod(path.join(wrapperDir, 'tmux'), 0o755)

    const dumpFile = path.join(s.home, 'agent-env.json')
    const dumper = path.join(s.home, 'dump-env.cjs')
    await writeFile(dumper, `require('fs').writeFileSync(process.argv[2], JSON.stringify(process.env)); setInterval(() => {}, 1000)\n`)

    const env = {...secrets, CCMCP_TOKEN: token, PATH: `${wrapperDir}:${process.env.PATH ?? '/usr/bin:/bin'}`}
    const created = s.run(['session', 'create', 'sec', '--root', s.root, '--json'], {env}).then(() =>
      s.run(['agent', 'create', 'sec', '--command', `${JSON.stringify(process.execPath)} ${JSON.stringify(dumper)} ${JSON.stringify(dumpFile)}`, '--json'], {env}),
    )
    const agentReported = created.then(() => eventually(async () => (existsSync(dumpFile) ? true : undefined)))
    const argvs = await watchArgvs(agentReported)
    const result = await created
    expect(result.exitCode, result.stderr).toBe(0)

    // No argv, ours, tmux's or the launcher's, ever held a value or the token.
    const tmuxArgvs = await readFile(argvLog, 'utf8')
    expect(tmuxArgvs).toContain('new-session')
    for (const seen of [tmuxArgvs, ...argvs]) {
      expect(seen.includes(marker), `an environment value was on an argv: ${seen.slice(0, 300)}`).toBe(false)
      expect(seen.includes(token), `the token was on an argv: ${seen.slice(0, 300)}`).toBe(false)
    }

    // The agent got exactly the creator's environment (minus the token) plus its identity.
    const got = JSON.parse(await readFile(dumpFile, 'utf8')) as Record<string, string>
    // The CLI ran with this test's environment, the sandbox's and the one above.
    const wanted = Object.fromEntries(Object.entries({...process.env, ...s.env, ...env}).filter((entry): entry is [string, string] => entry[1] !== undefined))
    delete wanted.CCMCP_TOKEN
    for (const [key, value] of Object.entries(wanted)) if (!TERMINAL_OWNED_ENV.has(key)) expect(got[key], key).toBe(value)
    expect(got.CCMCP_TOKEN).toBeUndefined()
    const identity = new Set(['CCMCP_SESSION', 'CCMCP_AGENT', 'CCMCP_LAUNCH_ID', 'CCMCP_AGENT_SECRET'])
    // The agent's per-launch secret: in its environment only, never on an argv, in tmux or in state (which keeps its digest).
    const secret = got.CCMCP_AGENT_SECRET ?? ''
    expect(secret).toMatch(/^[\w-]{43}$/)
    for (const seen of [tmuxArgvs, ...argvs]) expect(seen.includes(secret), `the agent secret was on an argv: ${seen.slice(0, 300)}`).toBe(false)
    expect(await readFile(path.join(s.home, 'state.json'), 'utf8')).not.toContain(secret)
    expect((await s.tmux(['show-options', '-g'])).stdout + (await s.tmux(['show-environment', '-g'])).stdout).not.toContain(secret)
    const unexpected = Object.keys(got).filter((key) => !(key in wanted) && !identity.has(key) && !TERMINAL_OWNED_ENV.has(key))
    expect(unexpected).toEqual([])
    expect(got.CCMCP_AGENT).toBe('Agent_1')
    expect(existsSync('/tmp/ccmcp-pwned')).toBe(false)

    // Nor does tmux's global environment hold the token; the launch data file is gone.
    const global = await s.tmux(['show-environment', '-g'])
    expect(global.stdout).not.toContain(token)
    expect(global.stdout).not.toContain('CCMCP_TOKEN')
    expect(await readdir(path.join(s.home, 'tmux', 'launch'))).toEqual([])
    expect((await stat(path.join(s.home, 'tmux', 'launch'))).mode & 0o777).toBe(0o700)
    expect((await stat(path.join(s.home, 'tmux', 'launch.sh'))).mode & 0o077).toBe(0)
  }, 90_000)
})
