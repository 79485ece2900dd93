#!/usr/bin/env node
/**
 * A fake `osascript` for Linux: `osascript -l JavaScript - <json>` runs the script from stdin in
 * node:vm against the simulated iTerm2 (model.mjs) whose state lives in $ITERM2_SIM_DIR, so
 * consecutive runs see one iTerm2 and sessions run real programs (processes.mjs). It behaves
 * like osascript at the edges: run(argv)'s return value printed with a newline, an uncaught
 * error as `execution error: … (number)` on stderr with exit 1, a syntax error as -2741.
 * Each run is logged (argv, the script's hash, LANG, events) to calls.jsonl; one-shot faults
 * queued in the state (state.faults) change the next matching run.
 */
import {createHash} from 'node:crypto'
import {appendFileSync, readFileSync} from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'

import {SimulatedITerm} from './model.mjs'
import {createProcesses} from './processes.mjs'
import {sleepSync} from './sleep.mjs'
import {saveState, withState} from './store.mjs'

const dir = process.env.ITERM2_SIM_DIR
if (!dir) {
  process.stderr.write('fake osascript: ITERM2_SIM_DIR is not set\n')
  process.exit(2)
}
const argv = process.argv.slice(2)
const script = readFileSync(0, 'utf8')
const started = Date.now()
let op = null
try {
  op = JSON.parse(argv[3]).op
} catch {
  // not ours to judge here
}
const record = {argv, scriptSha256: createHash('sha256').update(script).digest('hex'), lang: process.env.LANG ?? null, op, pid: process.pid}
const log = (fields) => appendFileSync(path.join(dir, 'calls.jsonl'), `${JSON.stringify({...record, ...fields, ms: Date.now() - started})}\n`)

if (argv[0] !== '-l' || argv[1] !== 'JavaScript' || argv[2] !== '-') {
  log({exit: 1})
  process.stderr.write('usage: osascript [-l language] [-e script] [programfile] [argument ...]\n')
  process.exit(1)
}

const outcome = withState(dir, (state) => {
  const index = state.faults.findIndex((fault) => !fault.op || fault.op === op)
  const fault = index >= 0 ? state.faults.splice(index, 1)[0] : {}
  // Consumed even if this run is killed (a timeout), like any one-shot event.
  saveState(dir, state)
  if (fault.type === 'stdout') return {stdout: fault.text, code: 0}
  if (fault.type === 'stderr') return {stderr: fault.text, code: fault.code ?? 1}
  if (fault.type === 'delay') sleepSync(fault.ms)
  if (fault.type === 'quit') state.running = false
  const callFaults = {
    errorAt: fault.type === 'error' ? {event: fault.atEvent ?? 1, number: fault.number, message: fault.message ?? `simulated error ${fault.number}`} : undefined,
    vanishAt: fault.type === 'vanish' ? {event: fault.atEvent ?? 1, sessionId: fault.sessionId} : undefined,
  }
  // A modal dialog blocks iTerm2's main thread: events wait until osascript is killed.
  const block = () => {
    saveState(dir, state)
    for (;;) sleepSync(60_000)
  }
  const sim = new SimulatedITerm(state, {processes: createProcesses(dir), home: process.env.ITERM2_SIM_HOME ?? process.env.HOME, callFaults, block})
  sim.refresh()
  const context = vm.createContext({
    Application: sim.Application,
    delay: (seconds) => sleepSync(Number(seconds) * 1000),
    console: {log: (...parts) => process.stderr.write(`${parts.join(' ')}\n`)},
  })
  try {
    new vm.Script(script, {filename: 'driver.js'}).runInContext(context)
  } catch (error) {
    return {stderr: `-: syntax error: ${error.message} (-2741)`, code: 1, events: sim.events}
  }
  try {
    const result = typeof context.run === 'function' ? context.run(argv.slice(3)) : undefined
    return {stdout: result === undefined ? '' : `${String(result)}\n`, code: 0, events: sim.events}
  } catch (error) {
    const number = typeof error?.errorNumber === 'number' ? error.errorNumber : -2700
    return {stderr: `-:0:0: execution error: Error: ${error?.message ?? error} (${number})`, code: 1, events: sim.events}
  }
})

log({exit: outcome.code, events: outcome.events ?? 0})
if (outcome.stdout) process.stdout.write(outcome.stdout)
if (outcome.stderr) process.stderr.write(`${outcome.stderr}\n`)
process.exitCode = outcome.code
