/**
 * Wires notifications into a composition root: the state store with transitions stamped
 * (notify/transitions.ts) and, for the transitions this process wrote, the configured programs
 * started detached. The config is read only when there is a transition to tell.
 */
import {createConfigStore} from '../adapters/stores.js'
import {onPath, spawnDetached} from '../adapters/notify-spawn.js'
import {withoutPrivateEnv} from '../agents/launch-spec.js'
import {type AgentTransition, withTransitions} from '../notify/transitions.js'
import {notifyRuns} from '../notify/sinks.js'
import type {State} from '../domain/state.js'
import type {Store} from '../ports.js'
import {appendFile, mkdir} from 'node:fs/promises'
import path from 'node:path'

export function notifyingStateStore(store: Store<State>, options: {home: string; env: NodeJS.ProcessEnv}): Store<State> {
  const config = createConfigStore(options.home)
  // The programs act for nobody: no agent identity, none of ccmcp's secrets.
  const {CCMCP_LAUNCH_ID: _launch, CCMCP_SESSION: _session, CCMCP_AGENT: _agent, ...rest} = options.env
  const baseEnv = withoutPrivateEnv(Object.fromEntries(Object.entries(rest).filter((entry): entry is [string, string] => entry[1] !== undefined)))
  const logFailure = (error: Error) => {
    const logsDir = path.join(options.home, 'logs')
    void mkdir(logsDir, {recursive: true, mode: 0o700})
      .then(() => appendFile(path.join(logsDir, 'notify.log'), `${JSON.stringify({at: new Date().toISOString(), error: error.message})}\n`, {mode: 0o600}))
      .catch(() => undefined)
  }
  const machine = {platform: process.platform, hasNotifySend: () => onPath('notify-send', options.env.PATH)}
  const notify = async (changes: AgentTransition[]) => {
    const current = await config.read().catch(() => null)
    if (!current) return
    for (const change of changes) {
      for (const run of notifyRuns(current, change, machine)) {
        try {
          spawnDetached(run.argv, {...baseEnv, ...run.env}, logFailure)
        } catch (error) {
          logFailure(error as Error)
        }
      }
    }
  }
  return withTransitions(store, notify)
}
