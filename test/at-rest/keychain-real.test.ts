/**
 * The OS keychain for real: a private D-Bus session with gnome-keyring's Secret Service (the CI
 * recipe in security.md), the built CLI creating its key there on first use, doctor saying
 * "keychain", secret-tool reading the same key back, no key file, and `key rotate` replacing it.
 * CI installs dbus, gnome-keyring and libsecret-tools (.ci/run); elsewhere the test skips without them.
 */
import {execa} from 'execa'
import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {atRest} from '../../src/core/adapters/at-rest.js'
import {keyId} from '../../src/core/adapters/keys/key-text.js'
import {binPath} from '../helpers/cli.js'

const found = async (program: string) => (await execa('sh', ['-c', `command -v ${program}`], {reject: false})).exitCode === 0
const available = (await Promise.all(['dbus-run-session', 'gnome-keyring-daemon', 'secret-tool'].map(found))).every(Boolean)

type Json = Record<string, unknown>

describe.skipIf(!available && !process.env.CI)('the OS keychain (Secret Service via gnome-keyring, for real)', () => {
  let home: string
  let userHome: string
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'cckc-'))
    // gnome-keyring keeps its keyring files under $HOME: a throwaway one.
    userHome = await mkdtemp(path.join(os.tmpdir(), 'cckh-'))
  })
  afterAll(async () => {
    await rm(home, {recursive: true, force: true})
    await rm(userHome, {recursive: true, force: true})
  })

  /** `script` runs in one D-Bus session with an unlocked keyring; $CCMCP is the built CLI. */
  async function inKeyringSession(script: string) {
    const result = await execa('dbus-run-session', ['--', 'sh', '-c', `printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 90\n${script}`], {
      env: {PATH: process.env.PATH ?? '', HOME: userHome, CCMCP_HOME: home, CCMCP: `${process.execPath} ${binPath}`, NO_COLOR: '1'},
      extendEnv: false,
      reject: false,
      timeout: 120_000,
    })
    expect(result.exitCode, result.stderr).toBe(0)
    return result.stdout
  }

  const decryptState = async (secret: string) => {
    const keychain = async () => ({get: async () => secret, set: async () => undefined, delete: async () => true})
    const file = path.join(home, 'state.json')
    return (await atRest({env: {}, home, keychain}).codec.decode(await readFile(file), file)) as Json
  }

  it('creates the key in Secret Service on first use, reads it back in the next process, and doctor says keychain', async () => {
    const out = await inKeyringSession(`
      $CCMCP session create kc --root /tmp --json >/dev/null || exit 91
      $CCMCP doctor --json  # exits non-zero when claude is missing: only its key line matters here
      echo '---'
      secret-tool lookup service ccmcp username "master key for $CCMCP_HOME" || exit 93`)
    const [doctorJson, secret] = out.split('\n---\n') as [string, string]
    const check = ((JSON.parse(doctorJson) as Json).checks as Json[]).find((entry) => entry.name === 'key')
    expect(Buffer.from(secret.trim(), 'base64')).toHaveLength(32)
    const id = keyId(Buffer.from(secret.trim(), 'base64'))
    expect(check).toMatchObject({status: 'ok', detail: `keychain: Secret Service: service "ccmcp", account "master key for ${home}" (key ${id})`})
    // The key is in the keychain only: the home holds the marker, never a key file.
    expect(await readdir(path.join(home, 'keys'))).toEqual(['keychain'])
    expect((await readFile(path.join(home, 'state.json'), 'utf8')).startsWith(`ccmcp-enc.v1.${id}.`)).toBe(true)
    expect(((await decryptState(secret.trim())).sessions as Json[])[0]).toMatchObject({name: 'kc'})
  }, 150_000)

  it('key rotate replaces the key in the keychain and re-encrypts with it', async () => {
    const out = await inKeyringSession(`
      $CCMCP key rotate --json || exit 94
      echo '---'
      secret-tool lookup service ccmcp username "master key for $CCMCP_HOME" || exit 95
      echo; echo '---'
      secret-tool search --all service ccmcp 2>&1 | grep -c '^label' || :`)
    const [rotateJson = "", secret = "", entries = ""] = out.split('\n---\n') as [string, string, string]
    expect(out).toContain("---")
    const rotated = JSON.parse(rotateJson) as Json
    expect(rotated).toMatchObject({keyId: keyId(Buffer.from(secret.trim(), 'base64')), resumed: false})
    // The state, and the hook spool's private key, which is kept encrypted with the master key.
    expect([...(rotated.files as string[])].sort()).toEqual([path.join(home, 'spool', 'key'), path.join(home, 'state.json')])
    // The "next" entry is gone: one key left.
    expect(entries.trim()).toBe('1')
    expect(((await decryptState(secret.trim())).sessions as Json[])[0]).toMatchObject({name: 'kc'})
  }, 150_000)
})
