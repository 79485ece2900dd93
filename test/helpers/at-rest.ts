/** Reading ccmcp's encrypted files in tests, with the key the home's processes use (its key file). */
import {readFile} from 'node:fs/promises'
import path from 'node:path'

import {atRest} from '../../src/core/adapters/at-rest.js'

/** The decrypted value of a store file in `home` (state.json unless named), as ccmcp reads it. */
export async function readStoreFile(home: string, name = 'state.json', env: NodeJS.ProcessEnv = {}): Promise<unknown> {
  const file = path.join(home, name)
  return atRest({env, home}).codec.decode(await readFile(file), file)
}

/** The records of an agent's event log (events/<session>/<agent>.jsonl), decrypted line by line. */
export async function readEventLog(home: string, session: string, agent: string): Promise<Record<string, unknown>[]> {
  const file = path.join(home, 'events', session, `${agent}.jsonl`)
  const {codec} = atRest({env: {}, home})
  const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '')
  return Promise.all(lines.map(async (line) => JSON.parse(await codec.openText(line, file)) as Record<string, unknown>))
}
