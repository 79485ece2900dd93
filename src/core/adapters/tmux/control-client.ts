/**
 * One persistent tmux control-mode client (`tmux -C attach-session -f no-output`) per socket,
 * for long-lived processes (serve, watch): a read answered over its pipe costs well under a
 * millisecond, where spawning a tmux costs 4–15 ms (far more on a loaded machine). It answers
 * read-only commands only (control-line.ts); a null answer means "use the spawn path": tmux
 * missing, no server or no session yet, the client died (server killed or restarted), a reply
 * overdue. After a failure it tries again no sooner than `retryMs`, so a machine with no tmux
 * server pays at most one extra spawn per interval. The client reads its commands from our
 * pipe, so it ends with this process, even after a kill -9: no orphaned control clients.
 */
import {type ChildProcessWithoutNullStreams, spawn} from 'node:child_process'

import type {ExecResult} from '../../ports.js'
import {type ControlReply, ControlReplyParser, controlCommandLine} from './control-line.js'

export interface TmuxControl {
  /** The command's result, or null when it must go the spawn path instead. */
  run(argv: readonly string[]): Promise<ExecResult | null>
  close(): void
}

export interface ControlClientOptions {
  tmuxBin: string
  /** tmux's global arguments before -C (socket, config, -u). */
  globalArgs: () => Promise<string[]>
  env: Record<string, string>
  /** How long a reply may take before the client is given up (default 10 s, as the spawn path). */
  timeoutMs?: number
  /** The wait after a failure before trying a new client (default 5 s). */
  retryMs?: number
  now?: () => number
}

interface Pending {
  resolve(result: ExecResult | null): void
  timer: NodeJS.Timeout
}

interface Connection {
  child: ChildProcessWithoutNullStreams
  pending: Pending[]
  alive: boolean
}

export function createControlClient(options: ControlClientOptions): TmuxControl {
  const timeoutMs = options.timeoutMs ?? 10_000
  const retryMs = options.retryMs ?? 5000
  const now = options.now ?? Date.now
  let connection: Promise<Connection> | null = null
  let failedAt = Number.NEGATIVE_INFINITY
  let closed = false
  /** The settled connection, for drop() to compare against. */
  let current: Connection | null = null

  const drop = (dead: Connection) => {
    if (!dead.alive) return
    dead.alive = false
    failedAt = now()
    if (current === dead) {
      connection = null
      current = null
    }
    for (const pending of dead.pending.splice(0)) {
      clearTimeout(pending.timer)
      pending.resolve(null)
    }
    dead.child.stdin.destroy()
    dead.child.kill()
  }

  const answer = (live: Connection, reply: ControlReply) => {
    // The attach command's own reply (flags 0) answers nothing we asked.
    if (!reply.fromClient) return
    const pending = live.pending.shift()
    if (!pending) return
    clearTimeout(pending.timer)
    const text = reply.lines.length > 0 ? `${reply.lines.join('\n')}\n` : ''
    pending.resolve({stdout: reply.ok ? text : '', stderr: reply.ok ? '' : text, exitCode: reply.ok ? 0 : 1, notFound: false, timedOut: false})
    // An idle client must not keep the process alive.
    if (live.pending.length === 0) setRef(live.child.stdout, false)
  }

  const connect = async (): Promise<Connection> => {
    const child = spawn(options.tmuxBin, [...(await options.globalArgs()), '-C', 'attach-session', '-f', 'no-output'], {env: options.env, stdio: 'pipe'})
    const live: Connection = {child, pending: [], alive: true}
    const parser = new ControlReplyParser({reply: (reply) => answer(live, reply), exit: () => drop(live)})
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (text: string) => parser.push(text))
    child.stderr.resume()
    child.on('error', () => drop(live))
    child.on('exit', () => drop(live))
    child.stdin.on('error', () => drop(live))
    child.unref()
    setRef(child.stdout, false)
    setRef(child.stderr, false)
    current = live
    return live
  }

  return {
    async run(argv) {
      const line = controlCommandLine(argv)
      if (line === null || closed) return null
      if (!connection) {
        if (now() - failedAt < retryMs) return null
        connection = connect()
      }
      const live = await connection.catch(() => null)
      if (!live) {
        connection = null
        failedAt = now()
        return null
      }
      if (!live.alive) return null
      return new Promise<ExecResult | null>((resolve) => {
        const timer = setTimeout(() => drop(live), timeoutMs)
        timer.unref()
        live.pending.push({resolve, timer})
        setRef(live.child.stdout, true)
        live.child.stdin.write(`${line}\n`)
      })
    },
    close() {
      closed = true
      if (current) drop(current)
    },
  }
}

/** Pipes are sockets: ref'd only while a reply is awaited, so an idle client never holds the process open. */
function setRef(stream: unknown, on: boolean): void {
  const socket = stream as {ref?: () => void; unref?: () => void}
  if (on) socket.ref?.()
  else socket.unref?.()
}
