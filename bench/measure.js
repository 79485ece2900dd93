/**
 * How the bench measures: a subject against a baseline in the same run, alternating (baseline,
 * subject, baseline, …), medians compared. CPU time of a child (user + system) comes from this
 * process's cutime/cstime in /proc (Linux), which counts 10 ms ticks; each sample is a batch of
 * runs so a tick is small against it. Elsewhere it falls back to wall time.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'

const hasProc = process.platform === 'linux'
const ticksPerSecond = hasProc ? Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100 : 100

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

/** CPU ms of the children this process has waited for so far. */
function childrenCpuMs() {
  const stat = readFileSync('/proc/self/stat', 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number)
  return ((fields[13] + fields[14]) * 1000) / ticksPerSecond
}

/** Runs `node ...argv` `batch` times; the CPU ms (or wall ms) per run. */
export function runNode(argv, {env, input = '', batch = 1, check}) {
  const cpuBefore = hasProc ? childrenCpuMs() : 0
  const start = process.hrtime.bigint()
  for (let index = 0; index < batch; index++) {
    const result = spawnSync(process.execPath, argv, {env, input, stdio: ['pipe', 'pipe', 'pipe']})
    if (result.status !== 0) throw new Error(`node ${argv.join(' ')} failed (${result.status}): ${result.stderr}`)
    check?.(result.stdout.toString('utf8'))
  }
  const wall = Number(process.hrtime.bigint() - start) / 1e6 / batch
  return {wall, cpu: hasProc ? (childrenCpuMs() - cpuBefore) / batch : wall}
}

/** Alternates baseline and subject `samples` times; medians of CPU ms and wall ms. */
export function compareCpu({subject, baseline = ['-e', '0'], env, input, samples, batch = 3, check, before}) {
  const base = {cpu: [], wall: []}
  const measured = {cpu: [], wall: []}
  runNode(baseline, {env, batch: 1})
  before?.()
  runNode(subject, {env, input, batch: 1, check})
  for (let index = 0; index < samples; index++) {
    const a = runNode(baseline, {env, batch})
    before?.()
    const b = runNode(subject, {env, input, batch, check})
    base.cpu.push(a.cpu)
    base.wall.push(a.wall)
    measured.cpu.push(b.cpu)
    measured.wall.push(b.wall)
  }
  const result = {cpu: median(measured.cpu), baseCpu: median(base.cpu), wall: median(measured.wall), baseWall: median(base.wall)}
  return {...result, ratio: result.cpu / result.baseCpu, measure: hasProc ? 'CPU' : 'wall'}
}
