#!/usr/bin/env node
/**
 * One simulated iTerm2 session's pty, kept alive between osascript runs: runs spec.argv under
 * `script` (a real pty, no shell interpretation of the argv: each word is single-quoted for
 * script's -c), relays in.fifo to it, appends its output to out.raw, records the pty name in
 * info.json and the exit status in exit.json.
 */
import {spawn} from 'node:child_process'
import {appendFileSync, existsSync, openSync, readFileSync, readlinkSync, renameSync, writeFileSync} from 'node:fs'
import net from 'node:net'
import path from 'node:path'

const dir = process.argv[2]
const spec = JSON.parse(readFileSync(path.join(dir, 'spec.json'), 'utf8'))
const quoted = spec.argv.map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(' ')
const child = spawn('script', ['-qfec', `stty rows ${spec.rows} cols ${spec.columns} 2>/dev/null; exec ${quoted}`, '/dev/null'], {
  cwd: spec.cwd,
  env: spec.env,
  stdio: ['pipe', 'pipe', 'pipe'],
})
// r+ keeps a writer open, so the FIFO never reports end-of-file between writes. Read as a
// pipe (event loop), not a file stream: a thread blocked in read(2) would keep exit() waiting.
const input = new net.Socket({fd: openSync(path.join(dir, 'in.fifo'), 'r+'), readable: true, writable: false})
input.pipe(child.stdin)
child.stdin.on('error', () => undefined)
const out = path.join(dir, 'out.raw')
child.stdout.on('data', (chunk) => appendFileSync(out, chunk))
child.stderr.on('data', (chunk) => appendFileSync(out, chunk))

function writeInfo(childPid, tty) {
  const file = path.join(dir, 'info.json')
  writeFileSync(`${file}.tmp`, JSON.stringify({hostPid: process.pid, scriptPid: child.pid, childPid, tty}))
  renameSync(`${file}.tmp`, file)
}

// The program runs as script's child, on the pty: its pid and tty are what iTerm2 would report.
const findChild = setInterval(() => {
  try {
    const [childPid] = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)
    if (!childPid) return
    const tty = readlinkSync(`/proc/${childPid}/fd/0`)
    if (!tty.startsWith('/dev/pts/')) return
    clearInterval(findChild)
    writeInfo(Number(childPid), tty)
  } catch {
    // not there yet
  }
}, 5)

child.on('exit', (code, signal) => {
  clearInterval(findChild)
  if (!existsSync(path.join(dir, 'info.json'))) writeInfo(null, null)
  writeFileSync(path.join(dir, 'exit.json'), JSON.stringify({status: code ?? 128, signal}))
  process.exit(0)
})
