/**
 * The fixed launcher, run by the real /bin/sh (and bash in POSIX mode, macOS's /bin/sh): argv,
 * environment and directory arrive exactly, nothing is ever interpreted, the agent is exec'd.
 */
import {execa} from 'execa'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {LAUNCHER_SCRIPT, TERMINAL_OWNED_ENV, agentEnvironment, encodeValue, iTermCommand, launchDataText} from '../../src/core/adapters/iterm2/launcher.js'
import {componentsInShellCommand} from '../helpers/iterm2-sim/tokenize.mjs'

let dir: string
let cwd: string
let launcher: string
const shells = [['/bin/sh'], ...(existsSync('/bin/bash') ? [['/bin/bash', '--posix']] : [])]

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ccl-'))
  cwd = await mkdtemp(path.join(os.tmpdir(), `cc dir 'q' "dq" $HOME é-`))
  launcher = path.join(dir, 'launch.sh')
  await writeFile(launcher, LAUNCHER_SCRIPT, {mode: 0o700})
})
afterAll(async () => {
  await rm(dir, {recursive: true, force: true})
  await rm(cwd, {recursive: true, force: true})
})

// What a tab's environment looks like before the launcher: launchd's plus iTerm2's own.
const TERMINAL_ENV = {
  PATH: '/usr/bin:/bin',
  HOME: '/Users/someone',
  __CFBundleIdentifier: 'com.googlecode.iterm2',
  LAUNCHD_ONLY: 'must not leak',
  TERM: 'xterm-256color',
  COLORTERM: 'truecolor',
  ITERM_SESSION_ID: 'w0t1p0:5D3F1D7C-1C4B-4C55-9B2B-8B8F8F4E0E11',
  LC_TERMINAL: 'iTerm2',
}

const HOSTILE_ARGS = ['arg;', '$(touch /tmp/ccmcp-launcher-pwned)', '', "it's", 'a\nb', 'trail\n', '-n', '--', 'é🎉 日本 עברית', 'x=y', '\\0101', '%s%n', '`id`', '*']
const HOSTILE_ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  NEWLINES: 'one\ntwo\n',
  EMPTY: '',
  DOLLAR: '$HOME ${PATH} $(id) `id`',
  BACKSLASH: '\\n \\0101 \\c stop',
  UNICODE: 'é🎉',
  'DOT.NAME': 'a shell cannot export it: dropped',
}
/** What the agent gets of HOSTILE_ENV: every variable a shell can export. */
const { 'DOT.NAME': _dropped, ...EXPORTABLE_ENV } = HOSTILE_ENV

async function launch(shell: string[], data: string, file: string, env: Record<string, string> = TERMINAL_ENV) {
  await writeFile(file, data, {mode: 0o600})
  return execa(shell[0] as string, [...shell.slice(1), launcher, file], {env, extendEnv: false, reject: false, cwd: os.tmpdir()})
}

describe.each(shells)('launcher under %s', (...shell) => {
  it('parses', async () => {
    expect((await execa(shell[0] as string, [...shell.slice(1), '-n', launcher], {reject: false})).exitCode).toBe(0)
  })

  it('execs the program with exact argv, environment and directory, and its own pid', async () => {
    const out = path.join(dir, `seen-${path.basename(shell[0] as string)}.json`)
    const argv = [process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({cwd: process.cwd(), env: process.env, argv: process.argv.slice(1), pid: process.pid}))`, '--', ...HOSTILE_ARGS]
    const data = path.join(dir, 'launch-a.data')
    const result = await launch(shell, launchDataText({cwd, env: HOSTILE_ENV, argv}), data)
    expect(result.exitCode, result.stderr).toBe(0)
    const seen = JSON.parse(await readFile(out, 'utf8'))
    expect(seen.cwd).toBe(cwd)
    expect(seen.argv).toEqual(HOSTILE_ARGS)
    // Exactly the data file's variables plus the terminal's own; nothing from launchd.
    const terminalOwn = Object.fromEntries(Object.entries(TERMINAL_ENV).filter(([key]) => TERMINAL_OWNED_ENV.has(key)))
    // bash (macOS's /bin/sh) always exports its own SHLVL to what it execs.
    const {SHLVL: _shlvl, ...env} = seen.env as Record<string, string>
    expect(shell[0] === '/bin/bash' ? env : seen.env).toEqual({...EXPORTABLE_ENV, ...terminalOwn})
    // exec keeps the pid: the pid file names the program itself.
    expect(Number(await readFile(path.join(dir, 'launch-a.pid'), 'utf8'))).toBe(seen.pid)
    expect(existsSync(data)).toBe(false)
    expect(existsSync('/tmp/ccmcp-launcher-pwned')).toBe(false)
  })

  it.skipIf(!existsSync('/usr/bin/bwrap'))('never puts an environment value on an argv (env -i K=V… would, readable in /proc by every local user)', async () => {
    // Every program the launcher could run besides the agent, replaced by one that records its argv.
    const recorder = path.join(dir, 'record-argv.sh')
    const log = path.join(dir, `argv-${path.basename(shell[0] as string)}.log`)
    await writeFile(recorder, `#!/bin/sh\nprintf '%s\\n' "$0 $*" >>${JSON.stringify(log)}\nexit 0\n`, {mode: 0o755})
    const wrapped = ['/usr/bin/env', '/bin/rm', '/usr/bin/rm', '/usr/bin/printf'].filter((file) => existsSync(file)).flatMap((file) => ['--ro-bind', recorder, file])
    const data = path.join(dir, 'launch-s.data')
    const secret = 'launch-secret-4c1d'
    await writeFile(data, launchDataText({cwd, env: {PATH: '/usr/bin:/bin', CCMCP_LAUNCH_ID: secret}, argv: ['/bin/sh', '-c', 'cat /proc/$$/cmdline']}), {mode: 0o600})
    const result = await execa('bwrap', ['--dev-bind', '/', '/', ...wrapped, '--', ...shell, launcher, data], {env: TERMINAL_ENV, extendEnv: false, reject: false})
    expect(result.exitCode, result.stderr).toBe(0)
    const seen = `${await readFile(log, 'utf8').catch(() => '')}${result.stdout}`
    expect(seen).not.toContain(secret)
  })

  it('stops with a message when the data file is missing, damaged or the directory is gone', async () => {
    const missing = await execa(shell[0] as string, [...shell.slice(1), launcher, path.join(dir, 'launch-none.data')], {reject: false, env: TERMINAL_ENV, extendEnv: false})
    expect(missing.exitCode).toBe(97)
    expect(missing.stderr).toMatch(/new-conversation/)
    const damagedFile = path.join(dir, 'launch-d.data')
    const damaged = await launch(shell, 'V 1\nA /bin/echo\n', damagedFile)
    expect(damaged.exitCode).toBe(97)
    expect(damaged.stderr).toMatch(/damaged/)
    expect(existsSync(damagedFile)).toBe(false)
    const noDir = await launch(shell, launchDataText({cwd: path.join(dir, 'nope'), env: {}, argv: ['/bin/echo']}), path.join(dir, 'launch-c.data'))
    expect(noDir.exitCode).toBe(97)
    expect(noDir.stderr).toMatch(/cannot enter/)
  })
})

describe('launch data and the iTerm2 command', () => {
  it('the launcher is fixed text with no user data, and the data file holds only safe ASCII', () => {
    const text = launchDataText({cwd, env: HOSTILE_ENV, argv: ['/bin/prog', ...HOSTILE_ARGS]})
    expect(text).toMatch(/^[\x20-\x7e\n]*$/)
    for (const line of text.trimEnd().split('\n')) expect(line).toMatch(/^(V 1|Z \.|[CEA] [A-Za-z0-9/._\\-]*)$/)
    expect(encodeValue('a b/\\é')).toBe('a\\0040b/\\0134\\0303\\0251')
    for (const arg of HOSTILE_ARGS) if (arg.length > 3) expect(LAUNCHER_SCRIPT).not.toContain(arg)
  })

  it('refuses what exec or env could not carry faithfully', () => {
    expect(() => launchDataText({cwd, env: {}, argv: []})).toThrow(/empty/)
    expect(() => launchDataText({cwd, env: {}, argv: ['/odd=path/prog']})).toThrow(/contains "="/)
    expect(() => launchDataText({cwd, env: {A: 'nul\0'}, argv: ['/bin/true']})).toThrow(/NUL/)
  })

  it('quotes paths for iTerm2 so its tokenizer gives them back unchanged, and refuses unsafe ones', () => {
    const words = ['/bin/sh', '/Users/a b/Library/Application Support/ccmcp/iterm2/launch.sh', "/tmp/it's (x) ~ é/launch-1.data"]
    const command = iTermCommand(words)
    expect(command).toBe(words.map((word) => `"${word}"`).join(' '))
    expect(componentsInShellCommand(command, '/home/x')).toEqual(words)
    for (const bad of ['/a"b', '/a\\b', '/a$$X$$', '/a$HOME', '/a\nb']) {
      expect(() => iTermCommand(['/bin/sh', bad])).toThrow(expect.objectContaining({code: 'BACKEND_UNAVAILABLE', hint: expect.stringMatching(/CCMCP_HOME/)}))
    }
  })

  it('gives agents the requested environment minus what the terminal owns', () => {
    const env = agentEnvironment({PATH: '/p', TERM: 'screen', TMUX: '/tmp/t,1,0', ITERM_SESSION_ID: 'old', KEEP: 'x'})
    expect(env).toEqual({PATH: '/p', KEEP: 'x', CLAUDE_CODE_DISABLE_TERMINAL_TITLE: '1'})
    expect(agentEnvironment({CLAUDE_CODE_DISABLE_TERMINAL_TITLE: '0'}).CLAUDE_CODE_DISABLE_TERMINAL_TITLE).toBe('0')
  })
})
