/**
 * The RemoteHosts port over the user's own OpenSSH: one ControlMaster per host (its socket in a
 * 0700 directory of ccmcp's), a stale master socket removed before it can hang ssh, and at most a
 * few calls at once per host, below sshd's MaxSessions (10 by default).
 */
import {createHash} from 'node:crypto'
import {mkdir, rm} from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'

import {decodeAnswer, callArgs} from '../../remote/wire.js'
import {interactiveSshArgv, sshArgv} from '../../remote/ssh-command.js'
import type {Exec, RemoteHosts, RemoteTarget} from '../../ports.js'

/** sshd's MaxSessions is 10 by default; leave room for a human's own ssh and the master itself. */
export const MAX_CALLS_PER_HOST = 6

export interface SshRemoteOptions {
  exec: Exec
  /** The ssh program and the user's options, already split (CCMCP_SSH / sshCommand). */
  ssh: readonly string[]
  /** 0700 directory for ControlMaster sockets. */
  controlDir: string
  env: Record<string, string>
  timeoutMs?: number
}

export interface SshRemote extends RemoteHosts {
  /** The argv that runs the host's ccmcp with `remoteArgs`, its master socket checked first. */
  argvFor(target: RemoteTarget, remoteArgs: readonly string[]): Promise<{file: string; args: string[]}>
}

export function sshRemote(options: SshRemoteOptions): SshRemote {
  const slots = new Map<string, Semaphore>()
  const argvFor = async (target: RemoteTarget, remoteArgs: readonly string[]) => {
    // A short name of our own (not %C) so the socket path is known here and can be probed.
    const controlName = createHash('sha256').update(`${options.ssh.join('\0')}\0${target.host}`).digest('hex').slice(0, 20)
    await mkdir(options.controlDir, {recursive: true, mode: 0o700})
    const controlPath = path.join(options.controlDir, controlName)
    await removeIfStale(controlPath)
    return sshArgv({ssh: options.ssh, host: target.host, controlPath, remoteCcmcp: target.remoteCcmcp, args: remoteArgs})
  }
  return {
    argvFor,
    async call(target: RemoteTarget, operation: string, input: unknown) {
      const slot = slots.get(target.host) ?? new Semaphore(MAX_CALLS_PER_HOST)
      slots.set(target.host, slot)
      return slot.run(async () => {
        const argv = await argvFor(target, callArgs(operation))
        const result = await options.exec(argv.file, argv.args, {input: JSON.stringify(input ?? {}), env: options.env, timeoutMs: options.timeoutMs ?? 120_000})
        return decodeAnswer(target.host, target.remoteCcmcp, result)
      })
    },
    interactiveArgv: (target, remoteLine) => interactiveSshArgv(options.ssh, target.host, remoteLine),
  }
}

/** A master that died leaves its socket; ssh may then hang on it. Remove it only when nothing listens. */
export async function removeIfStale(socketPath: string): Promise<'live' | 'removed' | 'absent'> {
  const outcome = await new Promise<'live' | 'stale' | 'absent'>((resolve) => {
    const probe = net.connect(socketPath)
    probe.once('connect', () => {
      probe.destroy()
      resolve('live')
    })
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? 'stale' : error.code === 'ENOENT' ? 'absent' : 'live'))
  })
  if (outcome !== 'stale') return outcome
  await rm(socketPath, {force: true})
  return 'removed'
}

class Semaphore {
  private active = 0
  private readonly waiting: Array<() => void> = []
  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    // A finishing call hands its slot straight to the next waiter, so no newcomer slips in between.
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve))
    else this.active++
    try {
      return await work()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.active--
    }
  }
}
