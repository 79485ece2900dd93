/** Reading ccmcp's encrypted files in tests, with the key the home's processes use (its key file). */
import {readFile} from 'node:fs/promises'
import path from 'node:path'

import {atRest} from '../../src/core/adapters/at-rest.js'

/** The decrypted value of a store file in `home` (state.json unless named), as ccmcp reads it. */
export async function readStoreFile(home: string, name = 'state.json', env: NodeJS.ProcessEnv = {}): Promise<unknown> {
  const file = path.join(home, name)
  return atRest({env, home}).codec.decode(await readFile(file), file)
}

/**
 * The state as ccmcp's commands read it: the agents' spooled hook events folded in first (hooks
 * only spool them; the event log and the state show them once a reader has folded them).
 */
export async function readFoldedState(home: string): Promise<unknown> {
  const {createRuntime} = await import('../../src/core/entry/runtime.js')
  const runtime = await createRuntime({env: {CCMCP_HOME: home}, keySource: null})
  return runtime.deps.ports.state.read()
}

/** The records of an agent's event log (events/<session>/<agent>.jsonl), decrypted line by line, after a reader folded what its hooks spooled. */
export async function readEventLog(home: string, session: string, agent: string): Promise<Record<string, unknown>[]> {
  await readFoldedState(home)
  const file = path.join(home, 'events', session, `${agent}.jsonl`)
  const {codec} = atRest({env: {}, home})
  const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '')
  return Promise.all(lines.map(async (line) => JSON.parse(await codec.openText(line, file)) as Record<string, unknown>))
}
