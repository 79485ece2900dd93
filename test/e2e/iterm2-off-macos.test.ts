/** Issue 9 item 24: a session on the iTerm2 backend is refused where iTerm2 cannot run. */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type Sandbox, createSandbox} from '../helpers/cli.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

describe.skipIf(process.platform === 'darwin')('the iTerm2 backend off macOS', () => {
  let box: Sandbox
  beforeAll(async () => {
    box = await createSandbox()
  })
  afterAll(async () => {
    await box.cleanup()
  })

  it('session create --backend iterm2 (or CCMCP_BACKEND=iterm2) is refused with the reason and the fix; nothing is created', async () => {
    for (const [args, env] of [[['--backend', 'iterm2'], {}], [[], {CCMCP_BACKEND: 'iterm2'}]] as const) {
      const refused = await box.run(['session', 'create', 'mac', '--root', box.root, ...args, '--json'], {env: {PATH: process.env.PATH ?? '/usr/bin:/bin', ...env}})
      expect(refused.exitCode, refused.stderr).toBe(4)
      expect((refused.json as Json).error.message).toMatch(/only on macOS.*osascript/)
      expect((refused.json as Json).error.hint).toMatch(/--backend tmux/)
    }
    expect(((await box.run(['session', 'list', '--json'])).json as Json).sessions).toEqual([])
  }, 120_000)
})
