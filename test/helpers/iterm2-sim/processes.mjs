/**
 * Real processes behind simulated iTerm2 sessions. Each session gets a detached host process
 * (session-host.mjs) that runs the command's argv under `script`, so the program has a real pty
 * (the fake agent puts it in raw mode). Input goes through a FIFO, so a write to a session whose
 * program ended is dropped, as iTerm2 drops it; output is appended to a file the `text` property
 * renders. Everything here is synchronous: JXA events are.
 */
import {execFileSync, spawn} from 'node:child_process'
import {closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {sleepSync} from './sleep.mjs'

const HOST = fileURLToPath(new URL('./session-host.mjs', import.meta.url))

export function createProcesses(simDir) {
  const dirOf = (guid) => path.join(simDir, 'sessions', guid)
  const info = (guid) => {
    const file = path.join(dirOf(guid), 'info.json')
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null
  }
  return {
    /** Starts argv in a new pty; returns once the program runs (as iTerm2's create does). */
    start(guid, {argv, env, cwd, rows, columns}) {
      const dir = dirOf(guid)
      mkdirSync(dir, {recursive: true})
      writeFileSync(path.join(dir, 'spec.json'), JSON.stringify({argv, env, cwd, rows, columns}))
      execFileSync('mkfifo', [path.join(dir, 'in.fifo')])
      spawn(process.execPath, [HOST, dir], {detached: true, stdio: 'ignore'}).unref()
      for (let waited = 0; waited < 10_000; waited += 10) {
        const started = info(guid)
        if (started) return {tty: started.tty}
        sleepSync(10)
      }
      throw Object.assign(new Error('the session did not start'), {errorNumber: -10000})
    },
    /** Types text into the session's pty; false when nobody reads it any more. */
    write(guid, text) {
      let fd
      try {
        fd = openSync(path.join(dirOf(guid), 'in.fifo'), constants.O_WRONLY | constants.O_NONBLOCK)
      } catch (error) {
        if (error.code === 'ENXIO' || error.code === 'ENOENT') return false
        throw error
      }
      try {
        const bytes = Buffer.from(text, 'utf8')
        for (let offset = 0; offset < bytes.length; ) {
          try {
            offset += writeSync(fd, bytes, offset)
          } catch (error) {
            if (error.code === 'EAGAIN') sleepSync(2)
            else if (error.code === 'EPIPE') return false
            else throw error
          }
        }
        return true
      } finally {
        closeSync(fd)
      }
    },
    output(guid) {
      const file = path.join(dirOf(guid), 'out.raw')
      return existsSync(file) ? readFileSync(file, 'utf8') : ''
    },
    /** The program's exit status once it ended, else null. */
    exitStatus(guid) {
      const file = path.join(dirOf(guid), 'exit.json')
      return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).status : null
    },
    /** Closing a tab hangs up its pty: SIGHUP to the session's process group. */
    hangUp(guid) {
      const started = info(guid)
      if (!started) return
      // Never kill(0): a program that ended before its pid was seen has childPid null.
      for (const target of [started.childPid > 0 && -started.childPid, started.scriptPid > 0 && started.scriptPid]) {
        if (!target) continue
        try {
          process.kill(target, 'SIGHUP')
        } catch {
          // already gone
        }
      }
    },
    pids(guid) {
      return info(guid)
    },
  }
}
