/**
 * Where ccmcp keeps its files. CCMCP_HOME overrides everything (state, logs, tmux socket),
 * so tests and parallel instances never collide.
 */
import path from 'node:path'

export interface Paths {
  home: string
  stateFile: string
  configFile: string
  /** Per-agent hook event logs: events/<session>/<agent>.jsonl */
  eventsDir: string
  logsDir: string
  tmuxSocket: string
}

/** `userHome`: the home directory the OS records for the user, used when HOME is not set. */
export function resolveHome(env: NodeJS.ProcessEnv, userHome: string, platform: NodeJS.Platform = process.platform): string {
  if (env.CCMCP_HOME) return path.resolve(env.CCMCP_HOME)
  const home = env.HOME ?? userHome
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'ccmcp')
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'ccmcp')
  return path.join(env.XDG_STATE_HOME ?? path.join(home, '.local', 'state'), 'ccmcp')
}

export function pathsFor(home: string): Paths {
  return {
    home,
    stateFile: path.join(home, 'state.json'),
    configFile: path.join(home, 'config.json'),
    eventsDir: path.join(home, 'events'),
    logsDir: path.join(home, 'logs'),
    tmuxSocket: path.join(home, 'tmux.sock'),
  }
}
