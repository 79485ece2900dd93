#!/usr/bin/env node
// `npm run bench`: every figure of issue 13 with its goal and a verdict, each a ratio against a
// baseline measured in the same run (these machines are noisy): alternating runs, medians, CPU
// time where wall time is too noisy. Figures only: it never fails on a figure.
//   BENCH_RUNS (samples per CPU figure, default 11), BENCH_TURNS (real Claude Code turns, 10),
//   BENCH_AGENTS (agents for the create/status figures, 128), BENCH_SKIP_WATCH=1, BENCH_SKIP_AGENTS=1.
// The real-Claude row needs CCMCP_TEST_CLAUDE_BIN (test/claude/install-claude.sh).
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {benchEnv, hookEnvFor, readState, seedHome} from './home.js'
import {compareCpu} from './measure.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = path.join(root, 'bin', 'run.js')
const samples = Number(process.env.BENCH_RUNS ?? 11)
const turns = Number(process.env.BENCH_TURNS ?? 10)
const manyAgents = Number(process.env.BENCH_AGENTS ?? 128)
const log = (line) => process.stderr.write(`bench: ${line}\n`)
const benchStarted = performance.now()
const rows = []
const row = (figure, measured, goal, met) => rows.push({figure, measured, goal, verdict: met === undefined ? 'not measured' : met ? 'met' : 'NOT met'})
const x = (ratio) => `${ratio.toFixed(2)}×`
const ms = (value) => `${value.toFixed(0)} ms`

const home = mkdtempSync(path.join(os.tmpdir(), 'ccmcp-bench-'))
const env = {...benchEnv(process.env), CCMCP_HOME: home}
const dist = path.join(root, 'dist')

// One session with one agent, as a hook or `session status` finds it.
function seedAgent() {
  const now = new Date().toISOString()
  const agent = {session: 'bench', name: 'Agent_1', kind: 'claude', command: ['claude'], status: 'busy', tab: null, conversationId: null,
    createdAt: now, lastEventAt: null, lastError: null, waitingFor: null, lastReply: null, claudeVersion: null, launchId: 'bench-launch'}
  const state = {schemaVersion: 1, sessions: [{name: 'bench', root: home, backend: 'tmux', createdAt: now, nextAgentNumber: 2}], agents: [agent]}
  writeFileSync(path.join(home, 'state.json'), JSON.stringify(state))
  // The hook figure's events are folded already; this state knows nothing of them, so they go too.
  rmSync(path.join(home, 'spool', 'bench~Agent_1.spool'), {force: true})
}

function cpuFigure(label, subject, options = {}) {
  log(`${label}…`)
  const figure = compareCpu({...options, subject, env: {...env, ...options.env}, samples})
  log(`  ${label}: ${figure.cpu.toFixed(1)} ms ${figure.measure} vs node -e 0 ${figure.baseCpu.toFixed(1)} ms (wall ${figure.wall.toFixed(0)} vs ${figure.baseWall.toFixed(0)} ms)`)
  return figure
}

try {
  log(`${samples} alternating samples per CPU figure, Node ${process.version}, load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`)
  await seedHome(home, dist)

  // Hooks. Which events a turn waits for comes from the settings ccmcp gives Claude Code.
  const {hookSettings} = await import(pathToFileURL(path.join(root, 'dist', 'core', 'agents', 'launch-spec.js')).href)
  const settings = hookSettings('hook').hooks
  const turnEvents = ['UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop']
  const blockingOnTurn = turnEvents.filter((event) => settings[event]?.some((entry) => entry.hooks.some((hook) => hook.async !== true)))
  const hookEvent = JSON.stringify({hook_event_name: 'Stop', session_id: 'bench', last_assistant_message: 'done'})
  const hook = cpuFigure('hook event (bin/hook.js)', [path.join(root, 'bin', 'hook.js')], {env: hookEnvFor(home), input: hookEvent})
  const state = await readState(home, dist)
  if (state.agents[0].lastReply !== 'done') throw new Error('the hook benchmark did not record its event')
  const hookMeasured = blockingOnTurn.length === 0
    ? `0 on a turn (${turnEvents.join('/')} async); the async process: ${x(hook.ratio)}`
    : `${x(hook.ratio)} (${blockingOnTurn.join('/')} blocking)`
  row('blocking work per hook event (CPU) / `node -e 0`', hookMeasured, '≤ 1.2×, or 0 on the critical path', blockingOnTurn.length === 0 || hook.ratio <= 1.2)

  const status = cpuFigure('session status --json', [bin, 'session', 'status', 'bench', '--json'], {
    before: seedAgent,
    check: (out) => {
      if (!out.includes('Agent_1')) throw new Error(`session status printed no agent: ${out}`)
    },
  })
  row('`ccmcp session status --json` (CPU) / `node -e 0`', x(status.ratio), '≤ 2×', status.ratio <= 2)
  const version = cpuFigure('--version', [bin, '--version'])
  row('`ccmcp --version` (CPU) / `node -e 0`', x(version.ratio), '≤ 1.5×', version.ratio <= 1.5)
} finally {
  rmSync(home, {recursive: true, force: true})
}

if (process.env.BENCH_SKIP_AGENTS === '1' || process.platform !== 'linux') {
  row('`ccmcp serve` RSS after 100 tool calls', 'skipped', '≤ 80 MB')
  row(`MCP \`get_session_status\`, ${manyAgents} agents / 1 agent`, 'skipped', '≤ 1.3×')
  row(`create ${manyAgents} program agents, 8 at a time (wall) / create 8`, 'skipped', '≤ 20×')
} else {
  const {benchAgents} = await import('./agents.js')
  const figures = await benchAgents({many: manyAgents, log})
  log(`  create 8: ${ms(figures.createFewMs)}, create ${manyAgents}: ${ms(figures.createManyMs)}; get_session_status ${figures.statusManyMs.toFixed(1)} vs ${figures.statusOneMs.toFixed(1)} ms`)
  row('`ccmcp serve` RSS after 100 tool calls', `${figures.serveRssMb.toFixed(0)} MB`, '≤ 80 MB', figures.serveRssMb <= 80)
  row(`MCP \`get_session_status\`, ${manyAgents} agents / 1 agent`, `${x(figures.statusRatio)} (${figures.statusManyMs.toFixed(0)} vs ${figures.statusOneMs.toFixed(0)} ms)`, '≤ 1.3×', figures.statusRatio <= 1.3)
  row(`create ${manyAgents} program agents, 8 at a time (wall) / create 8`, `${x(figures.createRatio)} (${(figures.createManyMs / 1000).toFixed(1)} s vs ${(figures.createFewMs / 1000).toFixed(1)} s)`, `≤ ${manyAgents / 8 + 4}×`, figures.createRatio <= manyAgents / 8 + 4)
}

if (process.env.CCMCP_TEST_CLAUDE_BIN) {
  log(`real Claude Code, ${turns} turns with ccmcp's hooks and ${turns} without…`)
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'claude-turns.ts'), String(turns)], {cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000})
  const figure = result.status === 0 ? JSON.parse(result.stdout.trim().split('\n').at(-1)) : undefined
  if (figure) row('hooks\' added time to a plain turn of the real Claude Code (Enter → Stop)', `${figure.addedMs >= 0 ? '+' : ''}${ms(figure.addedMs)} (${ms(figure.ccmcpMs)} vs ${ms(figure.plainMs)}, ${x(figure.ratio)})`, '≤ +30 ms', figure.addedMs <= 30)
  else row('hooks\' added time to a plain turn of the real Claude Code (Enter → Stop)', `failed: ${result.error?.message ?? `exit ${result.status}`}`, '≤ +30 ms')
} else {
  row('hooks\' added time to a plain turn of the real Claude Code (Enter → Stop)', 'skipped (CCMCP_TEST_CLAUDE_BIN unset)', '≤ +30 ms')
}

// The TUI's idle cost: 100 agents, 10 s, CPU% of `ccmcp watch` against an idle node process.
if (process.platform === 'linux' && process.env.BENCH_SKIP_WATCH !== '1') {
  log('ccmcp watch, idle with 100 agents…')
  const {benchWatchCpu} = await import('./watch-cpu.js')
  const figures = await benchWatchCpu({agents: 100, seconds: 10, log: () => {}})
  row('`ccmcp watch` idle with 100 agents (CPU %)', `${figures.watchCpuPercent.toFixed(2)} % (+ ${figures.watchChildrenCpuPercent.toFixed(2)} % in tmux calls; idle node ${figures.baselineCpuPercent.toFixed(2)} %)`, '≤ 1 %', figures.watchCpuPercent + figures.watchChildrenCpuPercent <= 1)
} else {
  row('`ccmcp watch` idle with 100 agents (CPU %)', 'skipped (BENCH_SKIP_WATCH=1)', '≤ 1 %')
}

const order = ['hooks\'', 'blocking', '`ccmcp session', '`ccmcp --version', '`ccmcp serve', 'MCP', 'create', '`ccmcp watch']
rows.sort((a, b) => order.findIndex((prefix) => a.figure.startsWith(prefix)) - order.findIndex((prefix) => b.figure.startsWith(prefix)))
process.stdout.write(`\nccmcp bench, Node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}, ${((performance.now() - benchStarted) / 1000).toFixed(0)} s\n\n`)
process.stdout.write('| figure | measured | goal | verdict |\n|---|---|---|---|\n')
for (const entry of rows) process.stdout.write(`| ${entry.figure} | ${entry.measured} | ${entry.goal} | ${entry.verdict} |\n`)
