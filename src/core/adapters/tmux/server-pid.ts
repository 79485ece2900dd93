/**
 * The private tmux server's pid, recorded when ccmcp opens a tab, so a deleted socket does not
 * look like a dead server: while the recorded server still runs, SIGUSR1 makes tmux create its
 * socket again. Without this, every agent would look lost and recovery would start each one a
 * second time beside its still-running first process.
 */
import {existsSync} from 'node:fs'
import {readFile, rm, writeFile} from 'node:fs/promises'

import type {Clock, Exec} from '../../ports.js'

const REVIVE_WAIT_MS = 3000

export async function recordServerPid(pidFile: string, pid: string): Promise<void> {
  if (!/^\d+$/.test(pid)) return
  const current = await readFile(pidFile, 'utf8').catch(() => null)
  if (current?.trim() !== pid) await writeFile(pidFile, `${pid}\n`, {mode: 0o600})
}

/**
 * When the socket is missing but the recorded server still runs, asks it to recreate the socket
 * and waits for it. Returns true when the socket is there afterwards. A pid that is gone or no
 * longer tmux is forgotten.
 */
export async function reviveSocket(options: {socketPath: string; pidFile: string; exec: Exec; clock: Clock}): Promise<boolean> {
  const {socketPath, pidFile, exec, clock} = options
  if (existsSync(socketPath)) return true
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim())
  if (!Number.isInteger(pid) || pid <= 1) return false
  const command = await exec('ps', ['-o', 'comm=', '-p', String(pid)], {timeoutMs: 5000})
  if (command.exitCode !== 0 || !/tmux/.test(command.stdout)) {
    // ps itself missing is not proof the server died; only a clear "no such process" is.
    if (!command.notFound && !isAlive(pid)) await rm(pidFile, {force: true})
    return false
  }
  try {
    process.kill(pid, 'SIGUSR1')
  } catch {
    return false
  }
  const deadline = clock.now().getTime() + REVIVE_WAIT_MS
  while (!existsSync(socketPath)) {
    if (clock.now().getTime() >= deadline) {
      // Not our server after all (a recycled pid): forget it rather than wait on every call.
      await rm(pidFile, {force: true})
      return false
    }
    await clock.sleep(20)
  }
  return true
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
