/**
 * The Exec port on node:child_process: argv only (never a shell), a timeout on every call, and
 * failures returned as data so callers decide what a non-zero exit means. Plain node:child_process
 * rather than execa: execa costs about 0.17 s of CPU to load, paid by every command that runs tmux.
 */
import {spawn} from 'node:child_process'

import type {Exec, ExecResult} from '../ports.js'

/** After the timeout's SIGTERM, a program that ignores it gets SIGKILL this much later. */
const FORCE_KILL_AFTER_MS = 5000

export const processExec: Exec = (file, args, options = {}) =>
  new Promise<ExecResult>((resolve) => {
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    let timedOut = false
    let notFound = false
    let settled = false
    const child = spawn(file, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    })
    const finish = (exitCode: number | undefined) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      clearTimeout(forceKill)
      resolve({stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), exitCode, notFound, timedOut})
    }
    let forceKill: NodeJS.Timeout | undefined
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGTERM')
      forceKill = setTimeout(() => child.kill('SIGKILL'), FORCE_KILL_AFTER_MS)
      forceKill.unref()
    }, options.timeoutMs ?? 30_000)
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.on('error', (error: NodeJS.ErrnoException) => {
      notFound = error.code === 'ENOENT'
      finish(undefined)
    })
    // 'close' waits for the output streams as well as the exit; a signal leaves no exit code.
    child.on('close', (code) => finish(code ?? undefined))
    if (child.stdin) {
      // A program that exits without reading its input must not crash us with EPIPE.
      child.stdin.on('error', () => undefined)
      child.stdin.end(options.input)
    }
  })

/** The former name, kept so callers and tests need no change. */
export const execaExec = processExec
