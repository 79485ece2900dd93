/** The local Host adapter on a real temp directory: atomic writes, exact modes, missing files. */
import {chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {localHost as host} from '../../src/core/adapters/local-host.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-host-'))
})
afterEach(async () => {
  await rm(dir, {recursive: true, force: true})
})

const modeOf = async (file: string) => (await stat(file)).mode & 0o777

describe('localHost', () => {
  it('writeAtomic replaces a file with exactly the mode asked for (0600 by default), leaving no temporary file', async () => {
    const file = path.join(dir, 'config.json')
    await writeFile(file, 'old', {mode: 0o644})
    await host.writeAtomic(file, 'new')
    expect(await readFile(file, 'utf8')).toBe('new')
    expect(await modeOf(file)).toBe(0o600)
    // 0666 survives only if the mode is set after the umask cut it.
    await host.writeAtomic(file, 'shared', {mode: 0o666})
    expect(await modeOf(file)).toBe(0o666)
    expect(await readdir(dir)).toEqual(['config.json'])
  })

  it('writeAtomic that cannot finish leaves the old file and no temporary file', async () => {
    const target = path.join(dir, 'is-a-dir')
    await mkdir(path.join(target, 'child'), {recursive: true})
    await expect(host.writeAtomic(target, 'x')).rejects.toThrow()
    expect(await readdir(dir)).toEqual(['is-a-dir'])
    await expect(host.writeAtomic(path.join(dir, 'missing', 'f'), 'x')).rejects.toMatchObject({code: 'ENOENT'})
  })

  it('readText and stat say "nothing there" with null, and reject on other failures', async () => {
    expect(await host.readText(path.join(dir, 'nope'))).toBeNull()
    expect(await host.stat(path.join(dir, 'nope'))).toBeNull()
    expect(await host.stat(path.join(dir, 'nope', 'deeper'))).toBeNull()
    await expect(host.readText(dir)).rejects.toMatchObject({code: 'EISDIR'})
    await writeFile(path.join(dir, 'f'), 'text', {mode: 0o640})
    await chmod(path.join(dir, 'f'), 0o640)
    expect(await host.readText(path.join(dir, 'f'))).toBe('text')
    expect(await host.stat(path.join(dir, 'f'))).toEqual({kind: 'file', mode: 0o640})
    expect(await host.stat(dir)).toMatchObject({kind: 'directory'})
  })

  it('append creates the file 0600 and adds to it; mkdir makes parents 0700; remove takes trees and missing paths', async () => {
    const log = path.join(dir, 'events', 's', 'a.jsonl')
    await host.mkdir(path.dirname(log))
    expect(await modeOf(path.join(dir, 'events'))).toBe(0o700)
    await host.mkdir(path.dirname(log))
    await host.append(log, 'one\n')
    await host.append(log, 'two\n')
    expect(await readFile(log, 'utf8')).toBe('one\ntwo\n')
    expect(await modeOf(log)).toBe(0o600)
    await host.remove(path.join(dir, 'events'))
    await host.remove(path.join(dir, 'events'))
    expect(await readdir(dir)).toEqual([])
  })

  it('isExecutable: an executable regular file only', async () => {
    const run = path.join(dir, 'run')
    await writeFile(run, '#!/bin/sh\n', {mode: 0o755})
    await writeFile(path.join(dir, 'text'), '', {mode: 0o644})
    await symlink(run, path.join(dir, 'link'))
    expect(await host.isExecutable(run)).toBe(true)
    expect(await host.isExecutable(path.join(dir, 'link'))).toBe(true)
    expect(await host.isExecutable(path.join(dir, 'text'))).toBe(false)
    expect(await host.isExecutable(dir)).toBe(false)
    expect(await host.isExecutable(path.join(dir, 'missing'))).toBe(false)
  })

  it('realpath, readdir, copy and homeDir work on the real machine', async () => {
    await mkdir(path.join(dir, 'real'))
    await symlink(path.join(dir, 'real'), path.join(dir, 'alias'))
    expect(await host.realpath(path.join(dir, 'alias'))).toBe(await host.realpath(path.join(dir, 'real')))
    await writeFile(path.join(dir, 'real', 'a'), 'A')
    await host.copy(path.join(dir, 'real', 'a'), path.join(dir, 'real', 'b'))
    expect((await host.readdir(path.join(dir, 'real'))).sort()).toEqual(['a', 'b'])
    await expect(host.readdir(path.join(dir, 'none'))).rejects.toMatchObject({code: 'ENOENT'})
    expect(host.homeDir()).toBe(os.homedir())
  })
})
