/** `session create` sandbox flags and `session status` saying how the session's agents are confined. */
import {mkdir} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type Sandbox, createSandbox} from '../helpers/cli.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

let box: Sandbox
beforeAll(async () => {
  box = await createSandbox()
})
afterAll(async () => {
  await box.cleanup()
})

describe('session create / status: the sandbox', () => {
  it('is on by default and says so', async () => {
    const created = await box.run(['session', 'create', 'plain', '--root', box.root])
    expect(created.exitCode, created.stderr).toBe(0)
    expect(created.stdout).toMatch(/sandbox: on \(claude agents confined to the root\)/)
    const status = await box.run(['session', 'status', 'plain'])
    expect(status.stdout).toMatch(/^sandbox: on/m)
  })

  it('--no-sandbox opts out, shown in status (human and JSON)', async () => {
    expect((await box.run(['session', 'create', 'open', '--root', box.root, '--no-sandbox'])).exitCode).toBe(0)
    expect((await box.run(['session', 'status', 'open'])).stdout).toMatch(/^sandbox: off \(claude agents run unconfined\)/m)
    expect(((await box.run(['session', 'status', 'open', '--json'])).json as Json).session.sandbox).toMatchObject({enabled: false})
  })

  it('repeatable --sandbox-allow-* flags are kept with the session and shown', async () => {
    const cache = path.join(box.root, 'cache')
    await mkdir(cache)
    const created = await box.run(['session', 'create', 'wide', '--root', box.root, '--sandbox-allow-write', cache, '--sandbox-allow-read', '/usr/share', '--sandbox-allow-domain', 'registry.npmjs.org', '--sandbox-allow-domain', '*.example.com', '--json'])
    expect(created.exitCode, created.stderr).toBe(0)
    expect((created.json as Json).session.sandbox).toEqual({enabled: true, allowRead: ['/usr/share'], allowWrite: [cache], allowDomains: ['registry.npmjs.org', '*.example.com']})
    expect((await box.run(['session', 'status', 'wide'])).stdout).toMatch(/also read \/usr\/share, write .*cache, network registry\.npmjs\.org, network \*\.example\.com/)
  })

  it('refuses allowances with --no-sandbox and a domain that is not one (exit 2), creating nothing', async () => {
    const both = await box.run(['session', 'create', 'bad', '--root', box.root, '--no-sandbox', '--sandbox-allow-domain', 'example.com'])
    expect(both.exitCode).toBe(2)
    expect(both.stderr).toMatch(/no effect on a session without the sandbox/)
    const domain = await box.run(['session', 'create', 'bad', '--root', box.root, '--sandbox-allow-domain', 'http://x/$(id)'])
    expect(domain.exitCode).toBe(2)
    expect(((await box.run(['session', 'list', '--json'])).json as Json).sessions.map((one: Json) => one.name)).not.toContain('bad')
  })
})
