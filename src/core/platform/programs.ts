/**
 * Finding the programs ccmcp runs (claude, tmux) when PATH is minimal. Claude Desktop starts MCP
 * servers with a bare environment (on macOS often PATH=/usr/bin:/bin), so after PATH the usual
 * install locations are searched too, and a miss reports every place that was looked in.
 */
import path from 'node:path'

import type {Host} from '../ports.js'

export interface ProgramLocation {
  name: string
  /** Absolute path of the program, or null when it was found nowhere. */
  path: string | null
  /** Found on PATH, or only in a usual install location (PATH lacked it). */
  source: 'path' | 'usual' | null
  /** Every directory looked in, in order. */
  searched: string[]
}

export interface SearchOptions {
  env: Record<string, string | undefined>
  home: string
  platform?: NodeJS.Platform
  /** Where programs are looked for. */
  host: Pick<Host, 'isExecutable' | 'readdir'>
}

/** Install locations that a login shell usually has on PATH but a GUI-started process may not. */
export async function usualDirs(host: Pick<Host, 'readdir'>, home: string, platform: NodeJS.Platform = process.platform): Promise<string[]> {
  const own = [
    path.join(home, '.local', 'bin'), // Claude Code's native installer
    path.join(home, '.claude', 'local'), // Claude Code's older per-user install
    path.join(home, '.npm-global', 'bin'),
    path.join(home, '.volta', 'bin'),
    path.join(home, '.bun', 'bin'),
    ...(await nvmBinDirs(host, home)),
  ]
  if (platform === 'darwin') return [...own, '/opt/homebrew/bin', '/usr/local/bin', '/opt/local/bin', '/usr/bin', '/bin']
  if (platform === 'win32') return own
  return [...own, '/usr/local/bin', '/usr/bin', '/bin', '/home/linuxbrew/.linuxbrew/bin', '/snap/bin']
}

/** Finds `name` (a bare program name, or a path) on PATH, then in the usual locations. */
export async function findProgram(name: string, options: SearchOptions): Promise<ProgramLocation> {
  const isExecutable = (file: string) => options.host.isExecutable(file)
  if (name.includes('/') || name.includes(path.sep)) {
    const file = path.resolve(name)
    const found = await isExecutable(file)
    return {name, path: found ? file : null, source: found ? 'path' : null, searched: [path.dirname(file)]}
  }
  const onPath = [...new Set((options.env.PATH ?? '').split(path.delimiter).filter((dir) => path.isAbsolute(dir)))]
  const usual = (await usualDirs(options.host, options.home, options.platform)).filter((dir) => !onPath.includes(dir))
  const searched: string[] = []
  for (const [dirs, source] of [[onPath, 'path'], [usual, 'usual']] as const) {
    for (const dir of dirs) {
      searched.push(dir)
      const file = path.join(dir, name)
      if (await isExecutable(file)) return {name, path: file, source, searched}
    }
  }
  return {name, path: null, source: null, searched}
}

/**
 * The environment with PATH extended by the directories where `names` were found outside PATH,
 * so that ccmcp, tmux and every agent (which inherits this environment) find them.
 */
export async function withProgramDirs(names: readonly string[], options: SearchOptions): Promise<{env: Record<string, string | undefined>; programs: ProgramLocation[]}> {
  const programs = await Promise.all(names.map((name) => findProgram(name, options)))
  const extra = [...new Set(programs.filter((program) => program.source === 'usual' && program.path).map((program) => path.dirname(program.path as string)))]
  if (extra.length === 0) return {env: options.env, programs}
  const PATH = [options.env.PATH, ...extra].filter(Boolean).join(path.delimiter)
  return {env: {...options.env, PATH}, programs}
}

/** One line for a person: where a program is, or where it was looked for. */
export function describeLocation(program: ProgramLocation): string {
  if (program.path) return `${program.name}: ${program.path}${program.source === 'usual' ? ' (not on PATH; found in a usual install location)' : ''}`
  return `${program.name} was not found on PATH or in the usual install locations (looked in: ${program.searched.join(', ')})`
}

/** nvm keeps one bin directory per Node version; newest first so the current one usually wins. */
async function nvmBinDirs(host: Pick<Host, 'readdir'>, home: string): Promise<string[]> {
  const root = path.join(home, '.nvm', 'versions', 'node')
  const versions = await host.readdir(root).catch(() => [] as string[])
  const numeric = (version: string) => version.replace(/^v/, '').split('.').map(Number)
  const newestFirst = versions.sort((a, b) => {
    const [x, y] = [numeric(a), numeric(b)]
    for (let index = 0; index < 3; index++) if ((x[index] ?? 0) !== (y[index] ?? 0)) return (y[index] ?? 0) - (x[index] ?? 0)
    return 0
  })
  return newestFirst.map((version) => path.join(root, version, 'bin'))
}
