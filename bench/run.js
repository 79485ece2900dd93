#!/usr/bin/env node
// `npm run bench`: each figure is a ratio against a baseline measured in the same run, because
// these machines are noisy. Runs alternate (baseline, subject, baseline, …) and medians compare.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = path.join(root, 'bin', 'run.js')
const runs = Number(process.env.BENCH_RUNS ?? 21)
const home = mkdtempSync(path.join(os.tmpdir(), 'ccmcp-bench-'))
const env = {...process.env, CCMCP_HOME: home}

function time(argv, extra = {}) {
  const start = process.hrtime.bigint()
  const result = spawnSync(process.execPath, argv, {env: {...env, ...extra.env}, input: extra.input ?? '', stdio: ['pipe', 'ignore', 'pipe']})
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed: ${result.stderr}`)
  return Number(process.hrtime.bigint() - start) / 1e6
}

// One session with one agent, as a hook would find it (no terminal needed to record an event).
function seedAgent() {
  const now = new Date().toISOString()
  const agent = {session: 'bench', name: 'Agent_1', kind: 'claude', command: ['claude'], status: 'busy', tab: null, conversationId: null,
    createdAt: now, lastEventAt: null, lastError: null, waitingFor: null, lastReply: null, claudeVersion: null, launchId: 'bench-launch'}
  const state = {schemaVersion: 1, sessions: [{name: 'bench', root: home, backend: 'tmux', createdAt: now, nextAgentNumber: 2}], agents: [agent]}
  writeFileSync(path.join(home, 'state.json'), JSON.stringify(state))
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

function compare(label, subject, goal, extra) {
  const base = []
  const measured = []
  time(['-e', '0'])
  time(subject, extra)
  for (let index = 0; index < runs; index++) {
    base.push(time(['-e', '0']))
    measured.push(time(subject, extra))
  }
  const ratio = median(measured) / median(base)
  const verdict = goal ? (ratio <= goal ? `within goal ≤ ${goal}×` : `OVER goal ≤ ${goal}×`) : ''
  process.stdout.write(`${label.padEnd(34)} ${median(measured).toFixed(1).padStart(7)} ms vs node -e 0 ${median(base).toFixed(1).padStart(6)} ms  ratio ${ratio.toFixed(2)}×  ${verdict}\n`)
  return ratio
}

try {
  process.stdout.write(`ccmcp bench (${runs} alternating runs, medians; Node ${process.version})\n`)
  compare('ccmcp --version (cold start)', [bin, '--version'], 2.5)
  compare('ccmcp session list --json', [bin, 'session', 'list', '--json'])
  seedAgent()
  const hookEvent = JSON.stringify({hook_event_name: 'Stop', session_id: 'bench', last_assistant_message: 'done'})
  const hookEnv = {CCMCP_SESSION: 'bench', CCMCP_AGENT: 'Agent_1', CCMCP_LAUNCH_ID: 'bench-launch'}
  compare('hook event recorded (bin/hook.js)', [path.join(root, 'bin', 'hook.js')], undefined, {env: hookEnv, input: hookEvent})
  const state = JSON.parse(readFileSync(path.join(home, 'state.json'), 'utf8'))
  if (state.agents[0].lastReply !== 'done') throw new Error('the hook benchmark did not record its event')
} finally {
  rmSync(home, {recursive: true, force: true})
}

// The TUI's idle cost: 100 agents, 10 s, CPU% of `ccmcp watch` against an idle node process.
if (process.platform === 'linux' && process.env.BENCH_SKIP_WATCH !== '1') {
  const {benchWatchCpu} = await import('./watch-cpu.js')
  const figures = await benchWatchCpu({agents: 100, seconds: 10, log: () => {}})
  process.stdout.write(
    `ccmcp watch idle, ${figures.agents} agents, ${figures.seconds} s   ${figures.watchCpuPercent.toFixed(2)} % CPU (+ ${figures.watchChildrenCpuPercent.toFixed(2)} % in tmux calls) vs idle node ${figures.baselineCpuPercent.toFixed(2)} %  ratio ${figures.ratio.toFixed(1)}× (resolution ${figures.tickPercent.toFixed(2)} %)\n`,
  )
}
