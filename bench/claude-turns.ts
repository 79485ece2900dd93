/**
 * What ccmcp's hooks add to a plain turn of the REAL Claude Code, against the mock API: two
 * agents side by side, one with no hooks but a marker, one with ccmcp's settings plus the same
 * marker, turns alternating between them. A turn is Enter → the end of the Stop hooks Claude Code
 * waits for: the marker (a blocking `date`) is chained behind ccmcp's own Stop hook when that one
 * blocks, and runs beside it when ccmcp's runs async. Prints one JSON line.
 *
 *   CCMCP_TEST_CLAUDE_BIN=… node --import tsx bench/claude-turns.ts [turns]   (after `npm run build`)
 */
import {randomUUID} from 'node:crypto'
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {hookCommandLine, hookSettings} from '../src/core/agents/launch-spec.js'
import {benchEnv, hookEnvFor, seedHome, stateReader} from './home.js'
import {baseEnv} from '../test/claude/claude-home.js'
import {CLAUDE_SCREEN, promptBoxHolds, startClaudeEnv} from '../test/claude/env.js'
import {PrivateTmux} from '../test/claude/tmux.js'

const repo = fileURLToPath(new URL('..', import.meta.url))
const turns = Number(process.argv[2] ?? 10)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN

type Hook = {type: string; command: string; timeout?: number; async?: boolean}
type Settings = {hooks: Record<string, Array<{matcher: string; hooks: Hook[]}>>}

async function markerLines(file: string): Promise<number[]> {
  const text = await readFile(file, 'utf8').catch(() => '')
  return text.split('\n').filter(Boolean).map((line) => Number(BigInt(line) / 1_000_000n))
}

const cc = await startClaudeEnv()
const ccmcpHome = await mkdtemp(path.join(os.tmpdir(), 'ccb-home-'))
const dist = path.join(repo, 'dist')
try {
  await seedHome(ccmcpHome, dist, {root: cc.root, status: 'starting'})
  const readState = await stateReader(ccmcpHome, dist)

  const arms = await Promise.all(['plain', 'ccmcp'].map(async (name) => {
    const dir = path.join(cc.dir, name)
    await mkdir(dir)
    const marker = path.join(dir, 'stop.txt')
    const markerCommand = `date +%s%N >> '${marker}'`
    let settings: Settings = {hooks: {Stop: [{matcher: '*', hooks: [{type: 'command', command: markerCommand}]}]}}
    let env = benchEnv(cc.home.env)
    if (name === 'ccmcp') {
      // BENCH_HOOK_COMMAND=true: ccmcp's hook layout with a command that does nothing (what Claude Code's own hook handling costs).
      settings = hookSettings(process.env.BENCH_HOOK_COMMAND ?? hookCommandLine(process.execPath, path.join(repo, 'bin', 'hook.js'))) as Settings
      // BENCH_BLOCKING_HOOKS=1: every hook waited for, as before the async hooks (for before/after figures).
      if (process.env.BENCH_BLOCKING_HOOKS === '1') for (const entries of Object.values(settings.hooks)) for (const hook of entries[0]?.hooks ?? []) delete hook.async
      const stop = settings.hooks.Stop?.[0]
      if (!stop) throw new Error('ccmcp installs no Stop hook')
      stop.hooks = stop.hooks.flatMap((hook) => (hook.async ? [hook, {type: 'command', command: markerCommand}] : [{...hook, command: `${hook.command}; ${markerCommand}`}]))
      env = {...env, ...hookEnvFor(ccmcpHome)}
    }
    const settingsFile = path.join(dir, 'settings.json')
    await writeFile(settingsFile, JSON.stringify(settings))
    const argv = [cc.bin, '--session-id', randomUUID(), '--permission-mode', 'acceptEdits', '--settings', settingsFile]
    const tmux = await PrivateTmux.launch({dir, cwd: cc.root, serverEnv: baseEnv(), env, argv})
    cc.defer(() => tmux.kill())
    await tmux.waitForScreen(CLAUDE_SCREEN.ready, 60_000)
    return {name, tmux, marker, times: [] as number[], retried: 0}
  }))

  for (let turn = 0; turn < turns * 2 + 2; turn++) {
    const arm = arms[turn % 2]!
    const text = `bench turn ${turn}`
    const seen = (await markerLines(arm.marker)).length
    await arm.tmux.typeText(text)
    await sleep(150)
    const enterAt = Date.now()
    await arm.tmux.pressKey('Enter')
    let stops: number[] = []
    for (let waited = 0; ; waited += 5) {
      stops = await markerLines(arm.marker)
      if (stops.length > seen) break
      if (waited === 3000 && promptBoxHolds(await arm.tmux.screen(), text)) {
        arm.retried += 1
        await arm.tmux.pressKey('Enter')
      }
      if (waited > 60_000) throw new Error(`no Stop after 60 s in the ${arm.name} agent:\n${await arm.tmux.screen()}`)
      await sleep(5)
    }
    // The first turn of each agent warms it up and is not counted; a lost Enter spoils a sample.
    if (turn >= 2 && stops.length === seen + 1) arm.times.push(stops[seen]! - enterAt)
    await arm.tmux.waitForScreen(CLAUDE_SCREEN.ready, 30_000)
    // Let ccmcp's async hooks finish (the turn is recorded), so their CPU does not land on the
    // other agent's turn and flatter ccmcp's figure.
    if (arm.name === 'ccmcp' && !process.env.BENCH_HOOK_COMMAND) {
      for (let waited = 0; waited < 30_000; waited += 20) {
        // As a reader of the state (status, watch) sees it: with the spool, reading folds the turn's events in.
        const recorded = (await readState()).agents[0]
        if (recorded?.lastReply?.includes(text) && recorded.lastPrompt?.includes(text)) break
        await sleep(20)
      }
    }
    await sleep(200)
  }
  const recorded = (await readState()).agents[0]
  if (!process.env.BENCH_HOOK_COMMAND && !recorded?.lastReply?.includes('bench turn')) throw new Error(`ccmcp's hooks did not record the turns: ${JSON.stringify(recorded)}`)
  const [plain, ccmcp] = arms.map((arm) => median(arm.times)) as [number, number]
  process.stdout.write(`${JSON.stringify({turns, plainMs: plain, ccmcpMs: ccmcp, addedMs: ccmcp - plain, ratio: ccmcp / plain, samples: arms.map((arm) => arm.times.length), status: recorded?.status})}\n`)
} finally {
  await cc.cleanup()
  await rm(ccmcpHome, {recursive: true, force: true})
}
