/**
 * What the blocking PermissionRequest hook does (claude-code-2.md §3): in a sandboxed session a
 * call outside the agent's own directories is denied at once (confinement-rule.ts); a session
 * rule answers at once; otherwise the request is recorded (status `waiting`, what it asks) and the hook waits —
 * woken by writes of the state file, with a slow tick as a fallback, never a busy loop — until
 * ccmcp has an answer (printed for Claude Code), the request is closed by another event (a
 * person answered in the terminal: PostToolUse, Stop, a new prompt), its own deadline passes,
 * or Claude Code is gone. Only an answer prints anything.
 */
import {randomUUID} from 'node:crypto'

import type {AgentCaller} from '../pipeline/caller.js'
import type {RunPipeline} from '../pipeline/pipeline.js'
import type {State} from '../domain/state.js'
import type {Store} from '../ports.js'
import type {HookPayload, Recorded} from '../delivery/hook-events.js'
import {autoAnswer} from './rules.js'
import {confinementScope, outsideRoot} from './confinement-rule.js'
import {decisionOutput, summarize, toolName} from './request.js'
import type {Settled} from './hook-ops.js'

/** Claude Code's timeout for the hook (seconds, in hookSettings); the hook gives up a little before it. */
export const PERMISSION_HOOK_TIMEOUT_SECONDS = 3600
export const PERMISSION_HOOK_MARGIN_MS = 15_000
/** How often the hook looks without being woken (a missed file event, a dead parent). */
const TICK_MS = 2000

export interface PermissionHookDeps {
  /** The pipeline for a given waiter (the request this hook process records and waits on). */
  run(waiter: {requestId: string; pid: number}): RunPipeline
  store: Pick<Store<State>, 'read' | 'watch'>
  pid: number
  home: string
  /** false once Claude Code (the hook's parent) is gone. */
  parentAlive(): boolean
  /** Prints the decision JSON on stdout. */
  print(json: Record<string, unknown>): void
  deadlineMs: number
  now(): number
  /** Hidden from every confined agent (hiddenFromAgents): ccmcp's home, Claude Code's transcripts and registry. */
  hidden?: readonly string[]
}

/** The session rule name a confinement refusal is recorded under (lastAutoAnswer.rule). */
export const CONFINEMENT_RULE = 'confinement'

export async function permissionHook(deps: PermissionHookDeps, caller: AgentCaller, payload: HookPayload): Promise<'confined' | 'auto' | 'answered' | 'unrecorded' | 'closed' | 'gave-up' | 'orphaned'> {
  const state = await deps.store.read()
  const session = state.sessions.find((candidate) => candidate.name === caller.session)
  const agent = state.agents.find((candidate) => candidate.session === caller.session && candidate.name === caller.agent)
  const tool = toolName(payload.tool_name)
  const cwd = typeof payload.cwd === 'string' ? payload.cwd : session?.root
  const scope = session ? confinementScope(state, session, agent, deps.hidden ?? []) : null
  // Before any rule: no session rule and no person may let a confined agent out of its root.
  const outside = scope && session ? outsideRoot(tool, payload.tool_input, scope, {cwd: cwd ?? session.root, home: deps.home}) : null
  const rule = outside ? {rule: CONFINEMENT_RULE, behavior: 'deny' as const} : session ? autoAnswer(session, tool, payload.tool_input, {root: session.root, home: deps.home}) : null
  const requestId = randomUUID()
  const run = deps.run({requestId, pid: deps.pid})
  if (rule) {
    const summary = summarize(tool, payload.tool_input, cwd)
    await run('record_auto_answer', {agent: `${caller.session}/${caller.agent}`, rule: rule.rule, behavior: rule.behavior, summary}, {kind: 'ccmcp', task: `auto-${rule.behavior} ${rule.rule}`})
    const message = outside ? outside.message : rule.behavior === 'deny' ? `Denied by the session rule ${rule.rule}.` : null
    deps.print(decisionOutput({behavior: rule.behavior, always: false, message}, payload.permission_suggestions))
    return outside ? 'confined' : 'auto'
  }
  const recorded = (await run('record_hook_event', payload, caller)) as Recorded
  // Not opened at all: a newer event said the call was decided already (or the agent is gone).
  if (recorded.status !== 'waiting') return 'unrecorded'
  const mine = (current: State) => current.agents.find((agent) => agent.session === caller.session && agent.name === caller.agent)?.permissionRequest?.id === requestId
  if (!mine(await deps.store.read())) return 'closed'
  const settle = async (giveUp: boolean) => ((await run('settle_permission_request', {requestId, giveUp}, caller)) as Settled).decision
  const outcome = await new Promise<'answered' | 'closed' | 'gave-up' | 'orphaned'>((resolve) => {
    let busy = false
    let done = false
    const finish = (result: 'answered' | 'closed' | 'gave-up' | 'orphaned') => {
      if (done) return
      done = true
      stopWatching()
      clearInterval(timer)
      resolve(result)
    }
    const look = async () => {
      if (busy || done) return
      busy = true
      try {
        const current = await deps.store.read()
        const request = current.agents.find((agent) => agent.session === caller.session && agent.name === caller.agent)?.permissionRequest
        if (request?.id !== requestId) return finish('closed')
        const late = deps.now() >= deps.deadlineMs
        const orphaned = !deps.parentAlive()
        if (request.decision || late || orphaned) {
          const decision = await settle(!request.decision)
          if (decision) {
            deps.print(decisionOutput(decision, payload.permission_suggestions))
            return finish('answered')
          }
          return finish(orphaned ? 'orphaned' : 'gave-up')
        }
      } catch {
        // A state file being replaced or briefly unreadable: the next look tries again.
      } finally {
        busy = false
      }
    }
    const stopWatching = deps.store.watch(() => void look())
    const timer = setInterval(() => void look(), TICK_MS)
    void look()
  })
  return outcome
}
