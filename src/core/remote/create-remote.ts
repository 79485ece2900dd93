/**
 * A session on another host: the ccmcp there creates it (and owns its agents, tabs, hooks and
 * trust); this side checks the host, records the session with its host, and undoes the remote
 * half if its own record cannot be written.
 */
import {CcmcpError} from '../domain/errors.js'
import {type SessionRecord, publicSession} from '../domain/state.js'
import type {Caller} from '../pipeline/caller.js'
import {clearanceOf} from '../pipeline/caller.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {DEFAULT_REMOTE_CCMCP} from './routing.js'
import {validateHost} from './ssh-command.js'

export interface RemoteSessionRequest {
  name: string
  root: string
  host: string
  remoteCcmcp?: string
  backend?: 'tmux' | 'iterm2'
  trust: boolean
}

/** The remote command is a line for the host's shell: naming it is running a program there (HIGH). */
export function assertMayRunOnHost(caller: Caller): void {
  const clearance = clearanceOf(caller)
  if (caller.kind === 'agent' || (clearance !== undefined && clearance !== 'HIGH')) {
    throw new CcmcpError('FORBIDDEN', 'Naming the remote ccmcp command runs a program on that host, which is a HIGH-level action; nothing was done.', {
      hint: "Leave remoteCcmcp out (the host's `ccmcp` is used), or ask whoever starts the server to allow HIGH.",
      reason: 'program-on-host',
    })
  }
}

export async function createRemoteSession(deps: CoreDeps, caller: Caller, request: RemoteSessionRequest, assertRoom: (state: {sessions: SessionRecord[]}) => void) {
  const host = validateHost(request.host)
  if (request.remoteCcmcp !== undefined) assertMayRunOnHost(caller)
  if (!request.root.startsWith('/') && !request.root.startsWith('~')) {
    throw new CcmcpError('INVALID_INPUT', `The root "${request.root}" must be an absolute path on ${host}.`, {hint: 'Give the directory as the host sees it, e.g. /home/me/src/api.'})
  }
  const state = await deps.ports.state.read()
  assertRoom(state)
  const target = {host, remoteCcmcp: request.remoteCcmcp ?? DEFAULT_REMOTE_CCMCP}
  const created = (await deps.ports.remote.call(target, 'create_session', {name: request.name, root: request.root, backend: request.backend, trust: request.trust})) as {
    session: {root: string; backend: 'tmux' | 'iterm2'}
    trust: {file: string; backup: string | null; changed: boolean} | null
  }
  const record: SessionRecord = {
    name: request.name,
    root: created.session.root,
    backend: created.session.backend,
    createdAt: deps.ports.clock.now().toISOString(),
    host,
    ...(request.remoteCcmcp === undefined ? {} : {remoteCcmcp: request.remoteCcmcp}),
    nextAgentNumber: 1,
  }
  try {
    await deps.ports.state.update((current) => {
      assertRoom(current)
      return {value: {...current, sessions: [...current.sessions, record]}, result: undefined}
    })
  } catch (error) {
    // Another process took the name meanwhile: the session made on the host for us goes again.
    await deps.ports.remote.call(target, 'delete_session', {name: request.name}).catch(() => undefined)
    throw error
  }
  return {session: publicSession(record), trust: created.trust}
}
