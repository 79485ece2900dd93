import {mkdtemp, realpath, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {processExec} from '../../src/core/adapters/exec.js'

const node = process.execPath

describe('processExec (the Exec port on node:child_process)', () => {
  it('returns output, exit code and stderr as data, never rejecting for a failed run', async () => {
    const result = await processExec(node, ['-e', 'process.stdout.write("out\\n"); process.stderr.write("err"); process.exit(3)'])
    expect(result).toEqual({stdout: 'out\n', stderr: 'err', exitCode: 3, notFound: false, timedOut: false})
  })

  it('passes argv untouched (no shell) and feeds input on stdin', async () => {
    const hostile = '$(touch /tmp/ccmcp-pwned); `id` "quoted" \'single\' ; | &'
    const result = await processExec(node, ['-e', 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.stringify([process.argv[1],s])))', hostile], {input: 'line one\nline two'})
    expect(JSON.parse(result.stdout)).toEqual([hostile, 'line one\nline two'])
  })

  it('a missing program is notFound, not a throw', async () => {
    const result = await processExec('/nonexistent/ccmcp-no-such-program', [])
    expect(result).toMatchObject({notFound: true, exitCode: undefined})
  })

  it('a program past its timeout is stopped and reported as timed out', async () => {
    const result = await processExec(node, ['-e', 'setInterval(() => {}, 1000)'], {timeoutMs: 300})
    expect(result).toMatchObject({timedOut: true, exitCode: undefined})
  })

  it('uses the given cwd and exactly the given environment', async () => {
    const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'ccmcp-exec-')))
    try {
      const result = await processExec(node, ['-e', 'process.stdout.write(JSON.stringify([process.cwd(), process.env.ONLY, process.env.HOME ?? null]))'], {cwd: dir, env: {ONLY: 'yes'}})
      expect(JSON.parse(result.stdout)).toEqual([dir, 'yes', null])
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })

  it('a program that exits without reading its input does not break the caller', async () => {
    const result = await processExec(node, ['-e', 'process.exit(0)'], {input: 'x'.repeat(1 << 20)})
    expect(result.exitCode).toBe(0)
  })

  it('keeps large and multi-byte output whole', async () => {
    const result = await processExec(node, ['-e', 'process.stdout.write("é".repeat(200000))'])
    expect(result.stdout).toBe('é'.repeat(200000))
  })
})
