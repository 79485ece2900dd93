/**
 * `doctor --host H`: can ccmcp run agents on that host? Reachable over ssh without a prompt, a
 * ccmcp there speaking this wire protocol, and that ccmcp's own checks (tmux, claude, its store).
 */
import {toCcmcpError} from '../domain/errors.js'
import type {State} from '../domain/state.js'
import type {CoreDeps} from '../pipeline/operation.js'
import type {RemoteTarget} from '../ports.js'
import {DEFAULT_REMOTE_CCMCP} from './routing.js'
import {validateHost} from './ssh-command.js'

interface Check {
  name: string
  status: 'ok' | 'warn' | 'fail'
  detail: string
  hint: string | null
  code: ReturnType<typeof toCcmcpError>['code'] | null
}

interface DoctorOutput {
  ok: boolean
  checks: Check[]
  programs: Array<{name: string; path: string | null; version: string | null; searched: string[]}>
  claudeDesktop: {configFile: string; snippet: Record<string, unknown>}
}

/** The host's remote ccmcp as given, else as a session on that host names it, else `ccmcp`. */
export function targetFor(host: string, remoteCcmcp: string | undefined, state: State): RemoteTarget {
  const known = state.sessions.find((session) => session.host === host && session.remoteCcmcp)
  return {host: validateHost(host), remoteCcmcp: remoteCcmcp ?? known?.remoteCcmcp ?? DEFAULT_REMOTE_CCMCP}
}

export async function doctorOnHost(deps: CoreDeps, target: RemoteTarget, here: DoctorOutput['claudeDesktop']): Promise<DoctorOutput> {
  try {
    const there = (await deps.ports.remote.call(target, 'doctor', {})) as DoctorOutput
    const reached: Check = {name: `host ${target.host}`, status: 'ok', detail: `reached over ssh; its ccmcp (${target.remoteCcmcp}) answers`, hint: null, code: null}
    const checks = [reached, ...there.checks.map((check) => ({...check, name: `${target.host}: ${check.name}`}))]
    return {...there, ok: checks.every((check) => check.status !== 'fail'), checks}
  } catch (error) {
    const failure = toCcmcpError(error)
    const check: Check = {name: `host ${target.host}`, status: 'fail', detail: failure.message, hint: failure.hintFor('cli') ?? null, code: failure.code}
    return {ok: false, checks: [check], programs: [], claudeDesktop: here}
  }
}
