/** Writing a session's message history: new records, and a message's next delivery state. */
import type {CorePorts} from '../pipeline/operation.js'
import {type MessageRecord, type MessageState, appended, withState} from './message-log.js'

type Deps = {ports: Pick<CorePorts, 'messages' | 'clock'>}

export async function recordMessages(deps: Deps, session: string, records: MessageRecord[]): Promise<void> {
  await deps.ports.messages(session).update((log) => ({value: appended(log, records), result: undefined}))
}

/** Moves a message to its next state in the receiver's session history (a final state stays). */
export async function markMessage(deps: Deps, session: string, id: string, state: MessageState, error: string | null = null): Promise<void> {
  const at = deps.ports.clock.now().toISOString()
  await deps.ports.messages(session).update((log) => ({value: withState(log, id, state, at, error), result: undefined}))
}
