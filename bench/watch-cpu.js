#!/usr/bin/env node
/**
 * Idle CPU of `ccmcp watch` with 100 agents, as a ratio against an idle Node process measured
 * over the same seconds on the same machine.
 *
 * Seeds a private CCMCP_HOME with 100 cheap agents (`sleep 600`, 5 sessions × 20, in real tmux
 * windows, created through the built core), runs the built `ccmcp watch` (default 1 s interval)
 * in a 120×40 tmux pane of a viewer server of its own, waits for it to draw and settle, then
 * reads both processes' CPU time (user + system, from /proc) at the start and end of the window.
 * "children" is the CPU of the programs watch ran and waited for (its tmux list/capture calls).
 *
 *   node bench/watch-cpu.js [--agents 100] [--seconds 10] [--settle 3]   (after `npm run build`)
 *   import {benchWatchCpu} from './watch-cpu.js'; const figures = await benchWatchCpu()
 */
import {execFile, spawn} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {promisify} from 'node:util'

const run = promisify(execFile)
const repo = fileURLToPath(new URL('..', import.meta.url))
const bin = path.join(repo, 'bin', 'run.js')
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

export async function benchWatchCpu({agents = 100, seconds = 10, sessions = 5, settleSeconds = 3, log = (line) => process.stderr.write(`${line}\n`)} = {}) {
  if (!existsSync(path.join(repo, 'dist', 'core', 'entry', 'runtime.js'))) throw new Error('dist/ is missing: run `npm run build` first')
  if (!existsSync('/proc/self/stat')) throw new Error('this benchmark reads /proc (Linux)')
  const ticksPerSecond = Number((await run('getconf', ['CLK_TCK'])).stdout.trim()) || 100
  // Short paths: the tmux sockets live here and Unix socket paths are limited.
  const home = await mkdtemp(path.join(os.tmpdir(), 'ccb-'))
  const root = await mkdtemp(path.join(os.tmpdir(), 'ccbr-'))
  const viewSocket = path.join(home, 'view.sock')
  const env = {PATH: process.env.PATH ?? '', HOME: home, LANG: 'C.UTF-8', TERM: 'xterm-256color', CCMCP_HOME: home}
  let baseline
  try {
    log(`seeding ${agents} agents in ${sessions} sessions…`)
    const {createRuntime} = await import(pathToFileURL(path.join(repo, 'dist', 'core', 'entry', 'runtime.js')).href)
    const {core} = await createRuntime({env, limits: {maxAgents: agents, maxSessions: sessions}})
    for (let index = 0; index < sessions; index++) await core.run('create_session', {name: `bench-${index + 1}`, root})
    for (let index = 0; index < agents; index++) await core.run('create_agent', {session: `bench-${(index % sessions) + 1}`, command: 'sleep 600'})

    log('starting ccmcp watch in a 120×40 tmux pane and an idle node baseline…')
    // No CI variables in env (Ink would not draw), so this measures what a user runs.
    await run('tmux', ['-u', '-S', viewSocket, '-f', '/dev/null', 'new-session', '-d', '-x', '120', '-y', '40', '-s', 'bench', '--', process.execPath, bin, 'watch'], {env})
    const watchPid = Number((await run('tmux', ['-S', viewSocket, 'display-message', '-p', '-t', 'bench', '#{pane_pid}'])).stdout.trim())
    baseline = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {stdio: 'ignore'})

    const deadline = Date.now() + 30_000
    for (;;) {
      const screen = (await run('tmux', ['-u', '-S', viewSocket, 'capture-pane', '-p', '-t', 'bench'])).stdout
      if (screen.includes(`${agents} agents`) && screen.includes('· screen')) break
      if (Date.now() > deadline) throw new Error(`ccmcp watch did not draw within 30 s:\n${screen}`)
      await sleep(200)
    }
    // Agents younger than a minute show their age in seconds, which redraws every second; with
    // --settle 65 every age is in minutes and an idle refresh draws nothing.
    await sleep(settleSeconds * 1000)

    const before = {watch: cpuTicks(watchPid), baseline: cpuTicks(baseline.pid)}
    const startedAt = process.hrtime.bigint()
    await sleep(seconds * 1000)
    const after = {watch: cpuTicks(watchPid), baseline: cpuTicks(baseline.pid)}
    const elapsed = Number(process.hrtime.bigint() - startedAt) / 1e9
    const percent = (ticks) => (100 * ticks) / ticksPerSecond / elapsed
    const figures = {
      agents,
      seconds: Number(elapsed.toFixed(2)),
      intervalSeconds: 1,
      settleSeconds,
      watchCpuPercent: round(percent(after.watch.self - before.watch.self)),
      watchChildrenCpuPercent: round(percent(after.watch.children - before.watch.children)),
      baselineCpuPercent: round(percent(after.baseline.self - before.baseline.self)),
      // One clock tick is the resolution; an idle baseline often uses none in 10 s.
      tickPercent: round(percent(1)),
    }
    figures.ratio = round(Math.max(figures.watchCpuPercent, figures.tickPercent) / Math.max(figures.baselineCpuPercent, figures.tickPercent))
    return figures
  } finally {
    baseline?.kill()
    await run('tmux', ['-S', viewSocket, 'kill-server']).catch(() => undefined)
    await run('tmux', ['-S', path.join(home, 'tmux.sock'), 'kill-server']).catch(() => undefined)
    await rm(home, {recursive: true, force: true})
    await rm(root, {recursive: true, force: true})
  }
}

/** utime + stime of the process, and cutime + cstime of the children it has waited for. */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may contain spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number)
  return {self: fields[11] + fields[12], children: fields[13] + fields[14]}
}

const round = (value) => Math.round(value * 100) / 100

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const option = (name, fallback) => {
    const index = process.argv.indexOf(`--${name}`)
    return index > 0 ? Number(process.argv[index + 1]) : fallback
  }
  const figures = await benchWatchCpu({agents: option('agents', 100), seconds: option('seconds', 10), settleSeconds: option('settle', 3)})
  process.stdout.write(
    [
      `ccmcp watch, ${figures.agents} agents, idle ${figures.seconds} s (after ${figures.settleSeconds} s), --interval ${figures.intervalSeconds}:`,
      `  watch      ${figures.watchCpuPercent.toFixed(2)} % CPU (+ ${figures.watchChildrenCpuPercent.toFixed(2)} % in the tmux calls it ran)`,
      `  baseline   ${figures.baselineCpuPercent.toFixed(2)} % CPU (idle node -e "setInterval(() => {}, 1000)"; resolution ${figures.tickPercent.toFixed(2)} %)`,
      `  ratio      ${figures.ratio.toFixed(1)}× baseline`,
      JSON.stringify(figures),
      '',
    ].join('\n'),
  )
}
