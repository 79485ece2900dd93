/**
 * How an agent starts in a tmux window without its environment ever appearing on an argv
 * (`tmux new-window -e KEY=VALUE` is readable by every local user in /proc while it runs).
 * The window runs `/bin/sh <launcher> <data>`:
 *
 * - the launcher is ONE fixed script (below), written once, mode 0600 (run by /bin/sh); it never holds user data;
 * - the data file is per launch, mode 0600 in a 0700 directory, in the iTerm2 launcher's format
 *   (launchDataText: one value per line, octal-escaped, never parsed as shell source). The
 *   launcher reads it, deletes it, keeps the variables tmux sets for the pane (TERM, TMUX, …),
 *   removes every other inherited variable, exports the data file's variables with the `export`
 *   builtin (no argv) and execs the agent, which keeps the pane's pid.
 */
import {randomUUID} from 'node:crypto'
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {CcmcpError} from '../../domain/errors.js'
import type {OpenTabRequest} from '../../ports.js'
import {EXPORT_AND_EXEC, FAIL_FUNCTION, keepTerminalVars, launchDataText, readLaunchData} from '../iterm2/launcher.js'
import {TERMINAL_OWNED_ENV} from './args.js'

// A plain template literal: \${ is a literal ${ and \\n a literal \n in the script.
export const TMUX_LAUNCHER_SCRIPT = `#!/bin/sh
# ccmcp launcher for tmux windows. Fixed content: it never holds user data.
# Usage: /bin/sh launch.sh DATA-FILE  (see src/core/adapters/tmux/launcher.ts in ccmcp)
# ccmcp_exports must not carry an inherited export flag (it would be unset with the rest).
unset CDPATH ccmcp_exports
umask 077
data=$1
${FAIL_FUNCTION}[ -f "$data" ] || fail "the launch data file is gone; start the agent again with: ccmcp agent new-conversation"
# The pane's own variables come from tmux; every other one comes from the data file.
set --
${keepTerminalVars(['TERM', 'TMUX', 'TMUX_PANE', 'TERM_PROGRAM', 'TERM_PROGRAM_VERSION', 'COLUMNS', 'LINES'])}ccmcp_exports=$#
${readLaunchData("    'E '*) set -- \"$@\" \"$value\"; ccmcp_exports=$((ccmcp_exports + 1)) ;;\n    'A '*) set -- \"$@\" \"$value\" ;;\n")}${EXPORT_AND_EXEC}`

/** Names `export` can set; tmux could pass others, a shell cannot (they are dropped). */
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
/** The launcher's own counter (ccmcp_exports) must not be overwritten while it exports. */
const LAUNCHER_RESERVED = /^ccmcp_/

/** The data file for one tmux launch: the agent's environment minus what the pane owns. */
export function tmuxLaunchData(cwd: string, env: Record<string, string>, argv: readonly string[]): string {
  if (argv.length === 0) throw new CcmcpError('INVALID_INPUT', 'The command to run is empty.')
  const kept = Object.fromEntries(Object.entries(env).filter(([key]) => SHELL_NAME.test(key) && !LAUNCHER_RESERVED.test(key) && !TERMINAL_OWNED_ENV.has(key)))
  return launchDataText({cwd, env: kept, argv})
}

/** A launch's data file, named by its launch id: the launcher deletes it just before it execs the agent. */
export function launchDataPath(home: string, launchId: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(launchId)) throw new CcmcpError('UNEXPECTED', `Not a launch id: ${JSON.stringify(launchId)}`)
  return path.join(home, 'tmux', 'launch', `${launchId}.data`)
}

/**
 * Writes the fixed launcher (once per process, atomically, 0600) and this launch's 0600 data
 * file; returns both paths for the window's `/bin/sh <script> <file>`.
 */
export async function writeLaunchFiles(home: string, request: Pick<OpenTabRequest, 'cwd' | 'env' | 'argv' | 'launchId'>, launcher: {written: boolean}): Promise<{script: string; file: string}> {
  const dir = path.join(home, 'tmux')
  const script = path.join(dir, 'launch.sh')
  const text = tmuxLaunchData(request.cwd, request.env, request.argv)
  if (!launcher.written) {
    await mkdir(path.join(dir, 'launch'), {recursive: true, mode: 0o700})
    if ((await readFile(script, 'utf8').catch(() => null)) !== TMUX_LAUNCHER_SCRIPT) {
      const temp = `${script}.${randomUUID()}.tmp`
      await writeFile(temp, TMUX_LAUNCHER_SCRIPT, {mode: 0o600})
      await rename(temp, script)
    }
    launcher.written = true
  }
  const file = launchDataPath(home, request.launchId)
  await writeFile(file, text, {mode: 0o600, flag: 'wx'})
  return {script, file}
}
