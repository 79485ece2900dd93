/**
 * The state store against the ways real processes break it: a writer paused inside the lock
 * (SIGSTOP) past the stale time, a writer killed inside the lock, a live lock holder, a
 * read-only home (a read-only bind mount: chmod does not stop root), kill -9 at random moments,
 * and a graceful SIGTERM. Every writer is a separate process on the built store (npm run build).
 */
import {execa} from 'execa'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'

const writer = fileURLToPath(new URL('../fixtures/store-writer.mjs', import.meta.url))
const cli = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-store-proc-'))
})
afterEach(async () => {
  await rm(dir, {recursive: true, force: true})
})

type Env = Record<string, string>
const start = (args: string[], env: Env = {}) => execa(process.execPath, [writer, dir, ...args], {reject: false, env})
const journal = async () => JSON.parse(await readFile(path.join(dir, 'journal.json'), 'utf8')) as {log: string[]}
const until = (condition: () => boolean, what: string) =>
  vi.waitFor(() => {
    if (!condition()) throw new Error(`still waiting for ${what}`)
  }, {timeout: 60_000, interval: 10})

/** A writer inside update(), blocked until <dir>/go exists; resolves once it is inside. */
async function holder(tag: string, env: Env = {}): Promise<{child: ReturnType<typeof start>}> {
  const child = start(['hold', tag], env)
  await until(() => existsSync(path.join(dir, `${tag}.in`)) || child.exitCode !== null, `${tag} to enter the lock`)
  expect(child.exitCode).toBeNull()
  return {child} // not the child itself: it is a promise of its end, which an async function would await
}

/**
 * Runs argv with `dir` read-only even for root: as root, in a private mount namespace with a
 * read-only bind mount of it (EROFS); otherwise with the write bits taken away (EACCES).
 */
async function readOnly(argv: string[], env: Env = {}) {
  if (process.getuid?.() === 0) {
    const script = 'mount --bind -o ro "$1" "$1" && shift && exec "$@"'
    return execa('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', dir, ...argv], {reject: false, env})
  }
  await execa('chmod', ['0500', dir])
  try {
    return await execa(argv[0]!, argv.slice(1), {reject: false, env})
  } finally {
    await execa('chmod', ['0700', dir])
  }
}

const leftovers = async () => (await readdir(dir)).filter((name) => name.startsWith('journal.json.'))

describe('store writers as separate processes', () => {
  it('a writer paused inside the lock past the stale time never overwrites the commit made meanwhile (20 trials)', async () => {
    const fast = {STORE_STALE_MS: '300'}
    for (let trial = 0; trial < 20; trial++) {
      await rm(path.join(dir, 'go'), {force: true})
      await rm(path.join(dir, 'journal.json'), {force: true})
      const {child: paused} = await holder(`A${trial}`, fast)
      process.kill(paused.pid!, 'SIGSTOP')
      await writeFile(path.join(dir, 'go'), '')
      // B finds the lock of a live but silent owner, takes it over once it is stale, and commits.
      const other = await start(['append', `B${trial}`], fast)
      expect(other.exitCode, other.stderr).toBe(0)
      process.kill(paused.pid!, 'SIGCONT')
      const resumed = await paused
      expect(resumed.exitCode, resumed.stderr).toBe(0)
      expect((await journal()).log, `trial ${trial}`).toEqual([`B${trial}`, `A${trial}`])
      expect(resumed.stderr).toContain('lost the state lock while paused')
    }
  }, 300_000)

  it('a writer killed inside the lock is seen dead by the next one, which does not wait for the lock to go stale', async () => {
    const {child: crashed} = await holder('A')
    process.kill(crashed.pid!, 'SIGKILL')
    await crashed
    expect(existsSync(path.join(dir, 'journal.json.lock'))).toBe(true)
    // A stale time and a wait far beyond the test's timeout: only seeing the owner dead lets it through.
    const next = await start(['append', 'B'], {STORE_STALE_MS: '3600000', STORE_WAIT_MS: '3600000'})
    expect(next.exitCode, next.stderr).toBe(0)
    expect(next.stderr).toContain(`took over the lock of process ${crashed.pid}, which is gone`)
    expect((await journal()).log).toEqual(['B'])
  }, 120_000)

  it('a live lock holder makes a writer give up after its bounded wait, naming the holder; readers do not wait', async () => {
    const live = start(['lock-hold', 'A'])
    await until(() => existsSync(path.join(dir, 'A.in')), 'A to take the lock')
    const blocked = await start(['append', 'B'], {STORE_WAIT_MS: '1500'})
    // Reads never wait for the lock.
    const read = await start(['read'])
    expect(read.exitCode, read.stderr).toBe(0)
    await writeFile(path.join(dir, 'go'), '')
    expect((await live).exitCode).toBe(0)
    expect(blocked.exitCode).not.toBe(0)
    expect(blocked.stderr).toContain(`held by process ${live.pid}, which is still running`)
    expect(blocked.stderr).not.toMatch(/remove .*\.lock/)
    expect(existsSync(path.join(dir, 'journal.json'))).toBe(false)
  }, 120_000)

  it('in a read-only home reads work and a write fails at once naming the directory', async () => {
    expect((await start(['append', 'A'])).exitCode).toBe(0)
    const read = await readOnly([process.execPath, writer, dir, 'read'])
    expect(read.exitCode, read.stderr).toBe(0)
    expect(JSON.parse(read.stdout)).toMatchObject({log: ['A']})
    // A lock wait far beyond the test's timeout: the write must fail at once, not wait for a lock.
    const write = await readOnly([process.execPath, writer, dir, 'append', 'B'], {STORE_WAIT_MS: '3600000'})
    expect(write.exitCode).not.toBe(0)
    expect(write.stderr).toContain(`${dir} is ${process.getuid?.() === 0 ? 'on a read-only file system (EROFS)' : 'not writable by this user (EACCES)'}`)
    expect(write.stderr).not.toMatch(/remove .*\.lock/)
    expect((await journal()).log).toEqual(['A'])
  }, 120_000)

  it('the CLI in a read-only home: read commands work, a write says what is wrong', async () => {
    const env = {CCMCP_HOME: dir}
    const created = await execa(process.execPath, [cli, 'session', 'create', 'ro', '--root', dir, '--json'], {reject: false, env})
    expect(created.exitCode, created.stderr).toBe(0)
    const list = await readOnly([process.execPath, cli, 'session', 'list', '--json'], env)
    expect(list.exitCode, list.stdout + list.stderr).toBe(0)
    expect(JSON.parse(list.stdout)).toMatchObject({sessions: [{name: 'ro'}]})
    const write = await readOnly([process.execPath, cli, 'session', 'create', 'ro2', '--root', dir, '--json'], env)
    expect(write.exitCode, write.stdout).toBe(5)
    const {error} = JSON.parse(write.stdout) as {error: {code: string; message: string; hint: string}}
    expect(error.message).toContain(`${dir} is`)
    expect(error.hint).toContain('CCMCP_HOME')
    expect(error.hint).not.toMatch(/remove .*\.lock/)
  }, 120_000)

  it('the CLI with a home that does not exist yet in a read-only directory: reads see nothing, a write names the directory', async () => {
    const env = {CCMCP_HOME: path.join(dir, 'home')}
    const list = await readOnly([process.execPath, cli, 'session', 'list', '--json'], env)
    expect(list.exitCode, list.stdout + list.stderr).toBe(0)
    expect(JSON.parse(list.stdout)).toEqual({sessions: []})
    const write = await readOnly([process.execPath, cli, 'session', 'create', 'ro', '--root', dir, '--json'], env)
    expect(write.exitCode, write.stdout).toBe(5)
    expect((JSON.parse(write.stdout) as {error: {message: string}}).error.message).toContain(`${dir} is`)
  }, 120_000)

  it('100 writers killed with SIGKILL at random moments leave no temp or lock files after the next write', async () => {
    for (let round = 0; round < 10; round++) {
      const writers = Array.from({length: 10}, () => {
        const child = start(['loop'])
        // Killed a random moment after its first commit: inside the lock, writing, or waiting for it.
        let killing = false
        child.stdout?.on('data', () => {
          if (!killing) setTimeout(() => child.kill('SIGKILL'), Math.random() * 60)
          killing = true
        })
        return child
      })
      const ended = await Promise.all(writers)
      for (const result of ended) expect(result.signal, result.stderr).toBe('SIGKILL')
      expect((await start(['append', `after-${round}`])).exitCode).toBe(0)
      expect(await leftovers(), `round ${round}`).toEqual([])
      expect((await journal()).log.at(-1)).toBe(`after-${round}`)
    }
  }, 600_000)

  it('loading the store leaves SIGTERM to the process: a graceful shutdown is not cut short', async () => {
    const child = start(['signal'])
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    await until(() => output.includes('ready') || child.exitCode !== null, 'the writer to be ready')
    child.kill('SIGTERM')
    const result = await child
    expect(result.signal, result.stderr).toBeUndefined()
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('graceful')
  }, 60_000)
})
