/**
 * For long-lived processes (`serve`, `watch`): one `ssh host ccmcp watch --json --follow` per host
 * keeps that host's agents current, so listing every session costs no ssh round trip. Other calls,
 * and any list while a host's stream is not connected, go through the plain RemoteHosts; a stream
 * that ends is started again after a pause, and its first line is a complete list (the reconcile).
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {createInterface} from 'node:readline'

import type {RemoteHosts, RemoteTarget} from '../../ports.js'

export interface StatusStreamOptions {
  /** The argv that runs `remoteArgs` on the host through ssh (built like every other call). */
  argvFor(target: RemoteTarget, remoteArgs: readonly string[]): Promise<{file: string; args: string[]}>
  env: Record<string, string>
  /** Pause before a lost stream is started again (doubling up to maxBackoffMs). */
  backoffMs?: number
  maxBackoffMs?: number
}

interface Stream {
  child: ChildProcess | null
  agents: unknown[] | null
  backoffMs: number
  timer: NodeJS.Timeout | null
}

export const FOLLOW_ARGS = ['watch', '--json', '--follow', '--interval', '2'] as const

export function withStatusStreams(base: RemoteHosts, options: StatusStreamOptions): RemoteHosts & {close(): void} {
  const streams = new Map<string, Stream>()
  const initialBackoff = options.backoffMs ?? 1000
  let closed = false

  const start = async (target: RemoteTarget, stream: Stream) => {
    const {file, args} = await options.argvFor(target, FOLLOW_ARGS)
    if (closed) return
    const child = spawn(file, args, {env: options.env, stdio: ['ignore', 'pipe', 'ignore']})
    stream.child = child
    createInterface({input: child.stdout}).on('line', (line) => {
      try {
        const overview = JSON.parse(line) as {agents?: unknown[]}
        if (Array.isArray(overview.agents)) {
          stream.agents = overview.agents
          stream.backoffMs = initialBackoff
        }
      } catch {
        // A line that is not the overview (a login banner) is skipped.
      }
    })
    const lost = () => {
      if (stream.child !== child) return
      stream.child = null
      stream.agents = null
      stream.timer = setTimeout(() => void start(target, stream).catch(lost), stream.backoffMs)
      stream.timer.unref()
      stream.backoffMs = Math.min(stream.backoffMs * 2, options.maxBackoffMs ?? 30_000)
    }
    child.once('exit', lost)
    child.once('error', lost)
  }

  const streamFor = (target: RemoteTarget): Stream => {
    const key = `${target.host}\0${target.remoteCcmcp}`
    let stream = streams.get(key)
    if (!stream) {
      stream = {child: null, agents: null, backoffMs: initialBackoff, timer: null}
      streams.set(key, stream)
      void start(target, stream).catch(() => undefined)
    }
    return stream
  }

  const close = () => {
    closed = true
    for (const stream of streams.values()) {
      if (stream.timer) clearTimeout(stream.timer)
      stream.child?.kill('SIGTERM')
    }
  }
  process.once('exit', close)

  return {
    async call(target, operation, input) {
      const everything = operation === 'list_agents' && Object.keys((input ?? {}) as object).length === 0
      const stream = everything ? streamFor(target) : null
      if (stream?.agents) return {agents: stream.agents}
      return base.call(target, operation, input)
    },
    interactiveArgv: (target, line) => base.interactiveArgv(target, line),
    close,
  }
}
