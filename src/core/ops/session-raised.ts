/**
 * Which create_session inputs are HIGH-level whatever the operation's own level: each one either
 * runs a program of the caller's choosing or takes away a guard the agents would otherwise have.
 * Checked by the pipeline's authorize step (Operation.raisedLevel), for every surface, so a
 * MEDIUM MCP client can create confined sessions but not unconfined ones.
 */
import type {RaisedLevel} from '../pipeline/operation.js'

export interface SessionRisks {
  sandbox?: boolean
  setup?: string
  remoteCcmcp?: string
  autoAllow?: readonly string[]
}

export function sessionRaisedLevel(input: SessionRisks): RaisedLevel | null {
  const high = (because: string): RaisedLevel => ({level: 'HIGH', because})
  if (input.remoteCcmcp !== undefined) return high('names the command run on the host (remoteCcmcp), which runs a program there')
  if (input.setup !== undefined) return high('runs a setup command of its own in every new worktree')
  if (input.sandbox === false) return high('runs its agents without the sandbox that confines them to the root')
  if (input.autoAllow !== undefined && input.autoAllow.length > 0) return high('lets its agents run the tools autoAllow names without anyone being asked')
  return null
}
