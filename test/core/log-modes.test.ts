/**
 * Every log file ccmcp writes is private (0600) whatever the umask: hook.log written by the hook
 * (run through a shell with umask 000), and a serve.log left 0644 by an older version.
 */
import {execa} from 'execa'
import {mkdir, mkdtemp, rm, stat, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {createServerLogger} from '../../src/mcp/log.js'
import {hookScript} from '../helpers/cli.js'

let home: string | undefined
afterEach(async () => {
  if (home) await rm(home, {recursive: true, force: true})
  home = undefined
})

describe('log file modes', () => {
  it('hook.log is 0600 even under umask 000', async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'cclog-'))
    // Without CCMCP_SESSION the hook records its problem in hook.log.
    const result = await execa('sh', ['-c', 'umask 000; exec "$0" "$1"', process.execPath, hookScript], {env: {CCMCP_HOME: home, PATH: process.env.PATH ?? ''}, extendEnv: false, input: '{}', reject: false})
    expect(result.exitCode).toBe(0)
    expect((await stat(path.join(home, 'logs', 'hook.log'))).mode & 0o777).toBe(0o600)
  })

  it('serve.log left 0644 by an older ccmcp becomes 0600', async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'cclog-'))
    const logDir = path.join(home, 'logs')
    await mkdir(logDir)
    await writeFile(path.join(logDir, 'serve.log'), 'old line\n', {mode: 0o644})
    const logger = createServerLogger({logDir, stderr: {write: () => true}})
    logger.info('started')
    expect((await stat(path.join(logDir, 'serve.log'))).mode & 0o777).toBe(0o600)
  })
})
