/**
 * The hook's fast path (bin/hook.js): seal the event to the spool's public key and append it as
 * ONE line to the agent's spool; whoever next reads the state folds it in through the pipeline
 * (delivery/hook-fold.ts), where the agent's secret is checked. Loads only node builtins and the
 * sealing module: no zod, no store, no lock, no keychain — a hook process near `node -e 0`.
 *
 * It hands the event to the full hook (hook-entry.ts) when it cannot spool it: PermissionRequest
 * (it blocks and prints the decision), no agent in the environment, an event that is not a JSON
 * object, or no spool key yet. It starts the flusher (which folds and delivers) after an event
 * that may leave the agent ready while messages are queued for it, or that may notify someone
 * outside ccmcp (a desktop notification or notifyCommand is configured).
 */
import {createHash} from 'node:crypto'
import {appendFileSync, existsSync, mkdirSync, readFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {resolveHome} from '../platform/paths.js'
import {parsePublicKey, sealLine} from '../adapters/spool/seal.js'
import {SPOOL_NAME, spoolPaths} from '../adapters/spool/spool-paths.js'

/** Events after which the agent may be ready for its next queued message. */
const READYING = new Set(['SessionStart', 'Stop', 'StopFailure'])
/** Events that may change the status to one someone is notified of (notify/transitions.ts). */
const NOTIFYING = new Set(['Stop', 'StopFailure', 'Notification', 'SessionEnd'])

export type SpoolOutcome = {spooled: true} | {spooled: false; raw: string}

/**
 * `startedAt`: when the hook process started (ms since the epoch), the event's place in order.
 * `kick` starts the flusher for the agent of the ccmcp home `home` (bin/flush.js, detached).
 */
export function spoolHookEvent(env: NodeJS.ProcessEnv, raw: string, startedAt: number, kick: (agentKey: string, home: string) => void): SpoolOutcome {
  const session = env.CCMCP_SESSION ?? ''
  const agent = env.CCMCP_AGENT ?? ''
  const fallback: SpoolOutcome = {spooled: false, raw}
  if (!SPOOL_NAME.test(session) || !SPOOL_NAME.test(agent)) return fallback
  let event: unknown
  try {
    event = JSON.parse(raw || '{}')
  } catch {
    return fallback
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return fallback
  const name = (event as {hook_event_name?: unknown}).hook_event_name
  if (name === 'PermissionRequest') return fallback
  const home = resolveHome(env, os.homedir())
  const paths = spoolPaths(home)
  const key = parsePublicKey(readOr(paths.publicKey, ''))
  if (!key) return fallback
  const secret = env.CCMCP_AGENT_SECRET
  // The digest as pipeline/caller.ts secretDigest() computes it: the fold presents it as the caller's proof.
  const digest = secret ? createHash('sha256').update(secret).digest('hex') : ''
  const line = sealLine(key, `${session}/${agent}`, JSON.stringify({at: startedAt, launchId: env.CCMCP_LAUNCH_ID ?? '', digest, event}))
  // The leading newline ends a line a killed hook left cut short, so this one still reads whole.
  const text = `\n${line}\n`
  const file = paths.spool(session, agent)
  try {
    appendFileSync(file, text, {mode: 0o600})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    mkdirSync(path.dirname(file), {recursive: true, mode: 0o700})
    appendFileSync(file, text, {mode: 0o600})
  }
  if (typeof name === 'string' && ((READYING.has(name) && existsSync(paths.queued(session, agent))) || (NOTIFYING.has(name) && notifiesOutside(paths.configFile)))) {
    kick(`${session}/${agent}`, home)
  }
  return {spooled: true}
}

function readOr(file: string, otherwise: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return otherwise
  }
}

/** Desktop notifications or a notify command are configured (config.json is plain JSON: settings only). */
function notifiesOutside(configFile: string): boolean {
  try {
    const config = JSON.parse(readOr(configFile, '{}')) as {notifyDesktop?: unknown; notifyCommand?: unknown}
    return config.notifyDesktop === true || (Array.isArray(config.notifyCommand) && config.notifyCommand.length > 0)
  } catch {
    return false
  }
}
