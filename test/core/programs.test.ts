/** Finding claude and tmux when PATH is minimal, on a fake file tree in a temp dir. */
import {chmod, mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {localHost} from '../../src/core/adapters/local-host.js'
import {describeLocation, findProgram, usualDirs, withProgramDirs} from '../../src/core/platform/programs.js'

let home: string
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-programs-'))
})
afterEach(async () => {
  await rm(home, {recursive: true, force: true})
})

async function program(dir: string, name: string, mode = 0o755): Promise<string> {
  await mkdir(dir, {recursive: true})
  const file = path.join(dir, name)
  await writeFile(file, '#!/bin/sh\n')
  await chmod(file, mode)
  return file
}

describe('findProgram', () => {
  it('prefers PATH, in order', async () => {
    const first = await program(path.join(home, 'a'), 'claude')
    await program(path.join(home, 'b'), 'claude')
    const found = await findProgram('claude', {env: {PATH: [path.join(home, 'a'), path.join(home, 'b')].join(':')}, home, host: localHost, platform: 'linux'})
    expect(found).toMatchObject({path: first, source: 'path'})
  })

  it("finds Claude Code's native install in ~/.local/bin when PATH lacks it", async () => {
    const file = await program(path.join(home, '.local', 'bin'), 'claude')
    const found = await findProgram('claude', {env: {PATH: '/usr/bin:/bin'}, home, host: localHost, platform: 'darwin'})
    expect(found).toMatchObject({path: file, source: 'usual'})
    expect(found.searched.slice(0, 3)).toEqual(['/usr/bin', '/bin', path.join(home, '.local', 'bin')])
  })

  it('looks in every nvm Node version, newest first', async () => {
    await program(path.join(home, '.nvm', 'versions', 'node', 'v18.20.0', 'bin'), 'claude')
    const newest = await program(path.join(home, '.nvm', 'versions', 'node', 'v22.3.0', 'bin'), 'claude')
    await program(path.join(home, '.nvm', 'versions', 'node', 'v9.11.0', 'bin'), 'claude')
    expect((await findProgram('claude', {env: {}, home, host: localHost, platform: 'linux'})).path).toBe(newest)
  })

  it('skips files that are not executable, directories and relative PATH entries', async () => {
    await program(path.join(home, 'noexec'), 'tmux', 0o644)
    await mkdir(path.join(home, 'dir', 'tmux'), {recursive: true})
    // win32's usual places are all under home, so nothing outside this tree can match.
    const found = await findProgram('tmux', {env: {PATH: `relative/bin:${path.join(home, 'noexec')}:${path.join(home, 'dir')}`}, home, host: localHost, platform: 'win32'})
    expect(found.searched.slice(0, 2)).toEqual([path.join(home, 'noexec'), path.join(home, 'dir')])
    expect(found.path).toBeNull()
  })

  it('checks a configured path as it is, without searching', async () => {
    const file = await program(path.join(home, 'opt'), 'my-claude')
    expect(await findProgram(file, {env: {PATH: ''}, home, host: localHost})).toMatchObject({path: file, searched: [path.join(home, 'opt')]})
    expect(await findProgram(path.join(home, 'opt', 'missing'), {env: {PATH: ''}, home, host: localHost})).toMatchObject({path: null, source: null})
  })

  it('says where it looked when a program is nowhere', async () => {
    const missing = await findProgram('claude', {env: {PATH: '/nowhere'}, home, platform: 'darwin', host: {...localHost, isExecutable: async () => false}})
    expect(missing.path).toBeNull()
    expect(describeLocation(missing)).toMatch(/^claude was not found on PATH or in the usual install locations \(looked in: \/nowhere, .*\/opt\/homebrew\/bin/)
  })
})

describe('usualDirs', () => {
  it('covers Homebrew on macOS and the system and Linuxbrew directories on Linux', async () => {
    expect(await usualDirs(localHost, home, 'darwin')).toEqual(expect.arrayContaining(['/opt/homebrew/bin', '/usr/local/bin', path.join(home, '.local', 'bin')]))
    expect(await usualDirs(localHost, home, 'linux')).toEqual(expect.arrayContaining(['/usr/bin', '/home/linuxbrew/.linuxbrew/bin', path.join(home, '.claude', 'local')]))
  })
})

describe('withProgramDirs', () => {
  it('adds the directories of programs found outside PATH, once, and leaves a complete PATH alone', async () => {
    const claude = await program(path.join(home, '.local', 'bin'), 'claude')
    await program(path.join(home, '.local', 'bin'), 'tmux')
    const {env, programs} = await withProgramDirs(['tmux', 'claude'], {env: {PATH: '/nowhere', HOME: home}, home, host: localHost, platform: 'linux'})
    expect(env).toEqual({PATH: `/nowhere:${path.join(home, '.local', 'bin')}`, HOME: home})
    expect(programs.map((found) => found.path)).toEqual([path.join(home, '.local', 'bin', 'tmux'), claude])

    const complete = {PATH: path.join(home, '.local', 'bin')}
    expect((await withProgramDirs(['claude'], {env: complete, home, host: localHost, platform: 'linux'})).env).toBe(complete)
  })
})
