/**
 * The private tmux server's fixed config (no user data) and what a failed tmux call means to a
 * ccmcp user: a window that is gone (the agent is not running) or tmux itself failing.
 */
import {writeFile} from 'node:fs/promises'
import path from 'node:path'

import {CcmcpError} from '../../domain/errors.js'
import type {ExecResult} from '../../ports.js'
import {isMissingTargetError, isNoServerError} from './args.js'

// Fixed settings for our private server; no user data. remain-on-exit keeps a finished agent's
// last screen readable and lets reconciliation tell "exited" from "lost".
const SERVER_CONFIG = `set -g remain-on-exit on
set -g update-environment ""
set -g automatic-rename off
set -g allow-rename off
set -g default-size 200x50
set -g history-limit 20000
set -s escape-time 10
`

/** Writes the server's config file (0600) under the ccmcp home; its path. */
export async function writeServerConfig(home: string): Promise<string> {
  const configPath = path.join(home, 'tmux.conf')
  await writeFile(configPath, SERVER_CONFIG, {mode: 0o600})
  return configPath
}

export function tmuxFailure(action: string, result: ExecResult): CcmcpError {
  const reason = (result.stderr || result.stdout).trim() || (result.timedOut ? 'timed out' : `exit ${result.exitCode}`)
  if (isMissingTargetError(reason) || isNoServerError(reason)) {
    return new CcmcpError('AGENT_NOT_RUNNING', `Could not ${action}: the agent's tmux window is gone (${reason}).`, {
      hint: 'Check `ccmcp session status`; a lost agent can be started again with `ccmcp agent new-conversation`.',
    })
  }
  return new CcmcpError('BACKEND_UNAVAILABLE', `tmux could not ${action}: ${reason}`, {hint: 'Check that `tmux -V` works and that the ccmcp home is writable.'})
}
