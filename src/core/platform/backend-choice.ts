/**
 * Which terminal backend a new session gets when `--backend` is not given: CCMCP_BACKEND, then
 * the config's `backend`, then the platform: iTerm2 on macOS when it is installed, else tmux.
 * Pure: environment, config, platform and the file-system probe are passed in.
 */
import path from 'node:path'

import type {Config} from '../domain/config.js'
import {BACKENDS, type BackendName} from '../domain/state.js'
import {CcmcpError} from '../domain/errors.js'

export function backendFromEnv(env: Record<string, string | undefined>): BackendName | undefined {
  const value = env.CCMCP_BACKEND
  if (!value) return undefined
  if (!(BACKENDS as readonly string[]).includes(value)) {
    throw new CcmcpError('ENVIRONMENT', `CCMCP_BACKEND is "${value}", which is not a backend.`, {hint: `Use one of: ${BACKENDS.join(', ')}.`})
  }
  return value as BackendName
}

/** Where iTerm2 is installed when it is: the system and the per-user Applications folders. */
export function iTerm2AppPaths(home: string): string[] {
  return ['/Applications/iTerm.app', path.join(home, 'Applications', 'iTerm.app')]
}

export interface BackendChoiceInput {
  env: Record<string, string | undefined>
  config: Pick<Config, 'backend'>
  platform: NodeJS.Platform
  /** The user's home directory, for ~/Applications. */
  home: string
  exists(file: string): boolean
}

export function chooseDefaultBackend(input: BackendChoiceInput): BackendName {
  const chosen = backendFromEnv(input.env) ?? input.config.backend
  if (chosen) return chosen
  if (input.platform === 'darwin' && iTerm2AppPaths(input.home).some((file) => input.exists(file))) return 'iterm2'
  return 'tmux'
}
