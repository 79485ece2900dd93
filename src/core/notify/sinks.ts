/**
 * What to run for one transition, per the config: the desktop notification (macOS osascript,
 * Linux notify-send) and the user's notifyCommand. Text always travels as argv data — the
 * AppleScript is fixed and reads its arguments, never a string with user text in it. Pure.
 */
import type {Config} from '../domain/config.js'
import type {NotifyKind} from '../domain/transition.js'
import type {AgentTransition} from './transitions.js'
import {sanitize} from '../answer/request.js'

export interface NotifyRun {
  argv: string[]
  /** Added to the environment the program gets. */
  env: Record<string, string>
}

const KIND_KEY: Readonly<Record<NotifyKind, keyof Config>> = {
  waiting: 'notifyWaiting',
  error: 'notifyError',
  exited: 'notifyExited',
  turnFinished: 'notifyTurnFinished',
}

export const kindEnabled = (config: Config, kind: NotifyKind): boolean => config[KIND_KEY[kind]] === true

const HEADLINE: Readonly<Record<NotifyKind, string>> = {
  waiting: 'needs you',
  error: 'failed',
  exited: 'stopped',
  turnFinished: 'finished its turn',
}

export function notificationText({agent, transition}: AgentTransition): {title: string; body: string} {
  return {title: sanitize(`ccmcp: ${agent.session}/${agent.name} ${HEADLINE[transition.kind]}`, 120), body: sanitize(transition.reason, 200)}
}

const APPLESCRIPT = ['-e', 'on run argv', '-e', 'display notification (item 2 of argv) with title (item 1 of argv)', '-e', 'end run']

export function notifyRuns(config: Config, change: AgentTransition, machine: {platform: string; hasNotifySend: () => boolean}): NotifyRun[] {
  const {agent, transition} = change
  if (!kindEnabled(config, transition.kind)) return []
  const runs: NotifyRun[] = []
  const {title, body} = notificationText(change)
  if (config.notifyDesktop && machine.platform === 'darwin') runs.push({argv: ['osascript', ...APPLESCRIPT, title, body], env: {}})
  else if (config.notifyDesktop && machine.platform === 'linux' && machine.hasNotifySend()) runs.push({argv: ['notify-send', '--app-name=ccmcp', '--', title, body], env: {}})
  if (config.notifyCommand) {
    runs.push({
      argv: [...config.notifyCommand],
      env: {
        CCMCP_SESSION: agent.session,
        CCMCP_AGENT: agent.name,
        CCMCP_OLD_STATUS: transition.from,
        CCMCP_NEW_STATUS: transition.to,
        CCMCP_REASON: transition.reason,
        CCMCP_NOTIFY_KIND: transition.kind,
      },
    })
  }
  return runs
}
