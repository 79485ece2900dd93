/**
 * The pure half of tmux control mode (`tmux -C`): what may be sent and how, and how replies are
 * framed. A control client takes a command LINE that tmux parses itself (quotes, `;`, `{}`,
 * `~`, `$VAR`, `#` comments, `%if`), so unlike the argv path nothing may reach it unquoted.
 * Only read-only commands go this way; everything that changes the terminal stays on the
 * spawn-per-call path, where an argument can never become a command.
 */

/** The only commands a control client runs: they read, they never change a pane or a window. */
export const CONTROL_COMMANDS: ReadonlySet<string> = new Set(['list-panes', 'display-message', 'capture-pane', 'list-clients'])

// A line break ends the command line even inside quotes (the next line would be a new command);
// other control characters have no business in the arguments we send.
// eslint-disable-next-line no-control-regex -- rejecting control characters is the point
const UNSENDABLE = /[\u0000-\u001F\u007F]/

/**
 * The one command line for `argv`, every word single-quoted (tmux expands nothing inside single
 * quotes; a quote itself is closed, escaped and reopened: ' → '\''), or null when argv is not
 * a read-only command or holds a character no line can carry. null means: use the spawn path.
 */
export function controlCommandLine(argv: readonly string[]): string | null {
  const [command] = argv
  if (command === undefined || !CONTROL_COMMANDS.has(command)) return null
  if (argv.some((arg) => UNSENDABLE.test(arg))) return null
  return argv.map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ')
}

export interface ControlReply {
  /** The command's output lines (%end) or its error message (%error). */
  lines: string[]
  ok: boolean
  /** The flags field: 1 for a command this client sent, 0 for the attach command on tmux's argv. */
  fromClient: boolean
}

/**
 * Splits a control client's output into replies. A reply is the lines between `%begin T N F`
 * and the `%end T N F` / `%error T N F` with the SAME time, number and flags: a pane may print
 * "%end …" itself, and capture-pane passes its lines through unescaped. Outside a reply, lines
 * are notifications; only %exit matters here (the client is leaving).
 */
export class ControlReplyParser {
  private partial = ''
  private open: {guard: string; lines: string[]} | null = null

  constructor(private readonly handlers: {reply(reply: ControlReply): void; exit(): void}) {}

  push(text: string): void {
    const lines = (this.partial + text).split('\n')
    this.partial = lines.pop() ?? ''
    for (const line of lines) this.line(line)
  }

  private line(line: string): void {
    if (this.open) {
      const {guard} = this.open
      if (line === `%end ${guard}` || line === `%error ${guard}`) {
        const {lines} = this.open
        this.open = null
        this.handlers.reply({lines, ok: line.startsWith('%end'), fromClient: guard.split(' ')[2] === '1'})
      } else {
        this.open.lines.push(line)
      }
      return
    }
    const begin = /^%begin (\d+ \d+ \d+)$/.exec(line)
    if (begin?.[1]) this.open = {guard: begin[1], lines: []}
    else if (line === '%exit' || line.startsWith('%exit ')) this.handlers.exit()
  }
}
