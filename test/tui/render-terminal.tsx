/**
 * Renders with Ink into a terminal of a chosen size, and optionally with a stdin that is not a
 * terminal (ink-testing-library fixes 100 columns and a TTY stdin). Frames are recorded as in
 * ink-testing-library (debug mode: each frame whole).
 */
import {render} from 'ink'
import {EventEmitter} from 'node:events'
import type {ReactElement} from 'react'

class Stdout extends EventEmitter {
  isTTY = true
  frames: string[] = []
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super()
  }
  write = (frame: string) => {
    this.frames.push(frame)
    return true
  }
}

class Stdin extends EventEmitter {
  /** Like Node's streams: true on a terminal, undefined (not false) on a file or pipe. */
  isTTY?: true
  constructor(tty: boolean) {
    super()
    if (tty) this.isTTY = true
  }
  setEncoding() {}
  setRawMode() {
    if (!this.isTTY) throw new Error('raw mode on a stdin that is not a terminal')
  }
  ref() {}
  unref() {}
  read = () => null
}

export function renderInTerminal(tree: ReactElement, options: {columns: number; rows: number; stdinIsTTY?: boolean}) {
  const stdout = new Stdout(options.columns, options.rows)
  const stdin = new Stdin(options.stdinIsTTY ?? true)
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new Stdout(options.columns, options.rows) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  })
  return {
    stdout,
    stdin,
    lastFrame: () => stdout.frames.at(-1) ?? '',
    unmount: () => instance.unmount(),
    resize(columns: number, rows: number) {
      stdout.columns = columns
      stdout.rows = rows
      stdout.emit('resize')
    },
  }
}
