/**
 * A program agent that ends within a second of starting is a failed create. The second counts
 * from the program's start: on a loaded machine the tab's launcher can take longer than that to
 * run it (CI saw `agent create --command no-such-program` succeed), which must not turn a typo
 * into a created agent.
 */
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {CcmcpError} from '../../src/core/domain/errors.js'
import {type Harness, createHarness} from '../helpers/core-harness.js'
import type {FakeTab} from '../helpers/fake-backend.js'

let h: Harness
beforeEach(async () => {
  h = await createHarness()
  await h.core.run('create_session', {name: 's', root: h.root})
})
afterEach(async () => h.cleanup())

async function failure(promise: Promise<unknown>): Promise<CcmcpError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof CcmcpError) return error
    throw error
  }
  throw new Error('expected a failure')
}

/** The launcher hands over after `lateMs`; then the program ends after `runsMs` (or never). */
function slowLauncher(lateMs: number, runsMs: number | null): void {
  const started = new Set<FakeTab>()
  h.backend.handedOver = async (ref) => [...started].some((tab) => tab.ref === ref || JSON.stringify(tab.ref) === JSON.stringify(ref))
  h.backend.onOpen = (tab) => {
    setTimeout(() => {
      started.add(tab)
      if (runsMs === null) return
      setTimeout(() => {
        tab.alive = false
        tab.exitStatus = 127
        tab.screen = 'sh: 1: exec: no-such-program: not found'
      }, runsMs)
    }, lateMs)
  }
}

describe('a program agent that ends at once, started late by a loaded machine', () => {
  it('is still a failed create (exit status, last screen lines) that leaves nothing behind', async () => {
    slowLauncher(1500, 300)
    const error = await failure(h.core.run('create_agent', {session: 's', command: 'no-such-program'}))
    expect(error.code).toBe('AGENT_START_FAILED')
    expect(error.message).toMatch(/exited with status 127 within 1 s of starting/)
    expect(error.message).toContain('no-such-program: not found')
    expect((await h.core.run('list_agents', {})).agents).toEqual([])
  })

  it('one that runs past its first second is created', async () => {
    slowLauncher(1500, null)
    const {agent} = await h.core.run('create_agent', {session: 's', command: 'sleep 100'})
    expect(agent).toMatchObject({status: 'unknown', kind: 'command'})
  })
})
