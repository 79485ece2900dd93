/**
 * Runs the TUI in the user's terminal: on the alternate screen (quitting gives back exactly what
 * was there), ended cleanly by q, Ctrl-C or a signal, with raw mode and the cursor restored.
 */
import {EXIT_CODES} from '../core/domain/errors.js'
import type {AppProps} from './app.js'

// The alternate screen, with the cursor home (Ink draws from where the cursor is), and
// bracketed paste, so a pasted multi-line message arrives as text instead of as Enter keys.
const ENTER = '\u001B[?1049h\u001B[H\u001B[?2004h'
const LEAVE = '\u001B[?2004l\u001B[?1049l\u001B[?25h'
/** How the process ends when a signal ends the TUI: 128 + the signal's number (130 = INTERRUPTED). */
const SIGNAL_EXIT = {SIGINT: EXIT_CODES.INTERRUPTED, SIGTERM: 143, SIGHUP: 129} as const
type Signal = keyof typeof SIGNAL_EXIT

export interface Terminal {
  stdin: NodeJS.ReadStream
  stdout: NodeJS.WriteStream
}

/** Resolves when the user quits. */
export async function runInTerminal(props: AppProps, {stdin, stdout}: Terminal): Promise<void> {
  const {render, createElement, App} = await importForTerminal()
  let instance: ReturnType<typeof render> | undefined
  let restored = false
  const restore = () => {
    if (restored) return
    restored = true
    if (stdin.isTTY) stdin.setRawMode(false)
    stdout.write(LEAVE)
  }
  // Ctrl-C is the app's own key in raw mode; without a terminal on stdin it arrives as SIGINT.
  // Other handlers of these signals (the store's write library) kill the process once they
  // have run, so the terminal is restored here, synchronously, first, and the exit is ours.
  const onSignal = (signal: NodeJS.Signals) => {
    instance?.unmount()
    restore()
    process.exit(SIGNAL_EXIT[signal as Signal])
  }
  for (const signal of Object.keys(SIGNAL_EXIT) as Signal[]) process.prependListener(signal, onSignal)
  stdout.write(ENTER)
  try {
    instance = render(createElement(App, props), {stdin, stdout, exitOnCtrlC: false, patchConsole: false})
    await instance.waitUntilExit()
  } finally {
    for (const signal of Object.keys(SIGNAL_EXIT) as Signal[]) process.off(signal, onSignal)
    restore()
  }
}

/**
 * Loads Ink, React and the app under the environment they should see (this module imports
 * none of them statically, so nothing loads React before NODE_ENV is settled):
 * - React runs its development build unless NODE_ENV is production, and that build doubles the
 *   idle TUI's CPU (dev-only checks on every render). So NODE_ENV becomes production for this
 *   process when the user has not set it. It stays set: Node's ESM loader pre-caches both the
 *   development and production files of a CommonJS package, and a later require under another
 *   NODE_ENV would get an empty module. Agents do not inherit it (their environment was taken
 *   when the runtime was created).
 * - Ink 6.8 treats any CI or CONTINUOUS_INTEGRATION variable as "in CI" and then draws nothing
 *   until exit, but a terminal is interactive wherever it is. Those two are hidden only while
 *   Ink loads (it reads them once, as an ES module).
 */
async function importForTerminal() {
  process.env.NODE_ENV ??= 'production'
  const hidden = ['CI', 'CONTINUOUS_INTEGRATION'].map((name) => [name, process.env[name]] as const)
  for (const [name] of hidden) delete process.env[name]
  try {
    const [{render}, {createElement}, {App}] = await Promise.all([import('ink'), import('react'), import('./app.js')])
    return {render, createElement, App}
  } finally {
    for (const [name, value] of hidden) if (value !== undefined) process.env[name] = value
  }
}
