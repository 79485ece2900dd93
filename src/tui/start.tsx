/**
 * Runs the TUI in the user's terminal: on the alternate screen (quitting gives back exactly what
 * was there), ended cleanly by q, Ctrl-C or a signal, with raw mode and the cursor restored.
 */
import type {AppProps} from './app.js'

// The alternate screen, with the cursor home (Ink draws from where the cursor is), and
// bracketed paste, so a pasted multi-line message arrives as text instead of as Enter keys.
const ENTER = '\u001B[?1049h\u001B[H\u001B[?2004h'
const LEAVE = '\u001B[?2004l\u001B[?1049l\u001B[?25h'
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

export interface Terminal {
  stdin: NodeJS.ReadStream
  stdout: NodeJS.WriteStream
}

/** Resolves when the user quits. */
export async function runInTerminal(props: AppProps, {stdin, stdout}: Terminal): Promise<void> {
  const {render} = await importInk()
  const {App} = await import('./app.js')
  let instance: ReturnType<typeof render> | undefined
  const stop = () => instance?.unmount()
  for (const signal of SIGNALS) process.on(signal, stop)
  stdout.write(ENTER)
  try {
    // Ctrl-C is the app's own key (raw mode turns it into a key); without a terminal on stdin it
    // arrives as SIGINT instead.
    instance = render(<App {...props} />, {stdin, stdout, exitOnCtrlC: false, patchConsole: false})
    await instance.waitUntilExit()
  } finally {
    for (const signal of SIGNALS) process.off(signal, stop)
    stdout.write(LEAVE)
  }
}

/**
 * Ink 6.8 decides once, when it is imported, whether it runs in CI (env CI or
 * CONTINUOUS_INTEGRATION set), and then draws nothing until exit. A terminal is interactive
 * wherever it is, so those two are hidden while Ink loads.
 */
async function importInk(): Promise<typeof import('ink')> {
  const names = ['CI', 'CONTINUOUS_INTEGRATION'] as const
  const saved = names.map((name) => [name, process.env[name]] as const)
  for (const name of names) delete process.env[name]
  try {
    return await import('ink')
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value
  }
}
