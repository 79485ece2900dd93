/** One line saying how a session's claude agents are confined (session create / status). */
import {type Session, sessionSandbox} from '../core/domain/state.js'

export function sandboxLine(session: Pick<Session, 'sandbox'>): string {
  const sandbox = sessionSandbox(session)
  if (!sandbox.enabled) return 'sandbox: off (claude agents run unconfined)'
  const extras = [
    ...sandbox.allowRead.map((dir) => `read ${dir}`),
    ...sandbox.allowWrite.map((dir) => `write ${dir}`),
    ...sandbox.allowDomains.map((domain) => `network ${domain}`),
  ]
  return `sandbox: on (claude agents confined to the root${extras.length > 0 ? `; also ${extras.join(', ')}` : ''})`
}
