/**
 * `agent focus --attach`: hands this terminal to the attach argv (`tmux … attach`, or `ssh -t host
 * tmux … attach`) until it ends, and ends with its exit code. Node cannot exec(2) over itself, so
 * the child inherits the terminal while ccmcp waits, ignoring the keys the child handles (Ctrl-C,
 * Ctrl-\\) and holding no stdout of its own.
 */
import {spawn} from 'node:child_process'

import {CcmcpError} from '../core/domain/errors.js'
import type {CliIo} from './io.js'

/** Refused before anything runs when stdin or stdout is not a terminal (a pipe, a cron job, an MCP client). */
export function assertTerminal(io: Pick<CliIo, 'stdin' | 'stdout'>, agent: string): void {
  if (io.stdin.isTTY && io.stdout.isTTY) return
  const which = !io.stdin.isTTY && !io.stdout.isTTY ? 'stdin and stdout are not' : !io.stdin.isTTY ? 'stdin is not' : 'stdout is not'
  throw new CcmcpError('ENVIRONMENT', `agent focus --attach needs a terminal, and ${which} one; nothing was run.`, {
    hint: `Run it in a terminal, or print the line to run instead: \`ccmcp agent focus ${agent}\`.`,
    reason: 'no-terminal',
  })
}

const HANDED_OVER = ['SIGINT', 'SIGQUIT', 'SIGTSTP'] as const

export async function attachTerminal(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [file, ...args] = argv
  if (!file) throw new CcmcpError('UNEXPECTED', 'The attach command is empty.')
  // ccmcp's tmux is a server of its own: attaching from inside the user's tmux is not nesting theirs.
  const {TMUX: _tmux, TMUX_PANE: _pane, ...childEnv} = env
  const ignore = () => undefined
  for (const signal of HANDED_OVER) process.on(signal, ignore)
  try {
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(file, args, {stdio: 'inherit', env: childEnv})
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(new CcmcpError('ENVIRONMENT', `Cannot run ${file}: ${error.code ?? error.message}.`, {hint: error.code === 'ENOENT' ? `Install ${file}, or check PATH.` : undefined})),
      )
      child.once('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGHUP' ? 1 : signal === 'SIGTERM' ? 15 : 9)))
    })
  } finally {
    for (const signal of HANDED_OVER) process.off(signal, ignore)
  }
}
