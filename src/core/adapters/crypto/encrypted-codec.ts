/**
 * The stores' encrypting codec, and the same envelope per line for append-only logs (the agents'
 * event logs). Writes with the newest key (a rotation's "next" key while one runs); reads with
 * whichever key the envelope names, asking the key source again when it names one this process
 * has not seen (a rotation finished elsewhere). A plain JSON file from an older ccmcp is read as
 * is and written back encrypted. A wrong key or an altered byte is an error naming the file.
 */
import path from 'node:path'

import {CcmcpError} from '../../domain/errors.js'
import type {LineCodec, StoreCodec} from '../../ports.js'
import type {KeyRing, LocalKeySource} from '../keys/key-source.js'
import {type DataKey, dataKey, isEnvelope, open, parseEnvelope, seal} from './envelope.js'

export type EncryptedCodec = StoreCodec & LineCodec & {
  /** The plaintext of one envelope (a whole file or a line); throws naming `file`. */
  openText(text: string, file: string): Promise<string>
  sealText(text: string, file: string): Promise<string>
}

export function createEncryptedCodec(keys: LocalKeySource, home: string): EncryptedCodec {
  /** The authenticated name of a file: its path in the home, the same wherever the home is moved. */
  const label = (file: string) => {
    const relative = path.relative(home, file)
    return (relative.startsWith('..') || path.isAbsolute(relative) ? file : relative).split(path.sep).join('/')
  }
  const writeKey = async (): Promise<DataKey> => {
    const ring = await keys.ring()
    return dataKey(ring.next ?? ring.current)
  }
  const findKey = (ring: KeyRing, id: string) => [ring.current, ring.next].map((key) => key && dataKey(key)).find((key) => key?.id === id) ?? null

  async function openText(text: string, file: string): Promise<string> {
    const parsed = parseEnvelope(text)
    if (!parsed) throw damaged(file, 'its encrypted envelope is malformed')
    const key = findKey(await keys.ring(), parsed.keyId) ?? findKey(await keys.ring({refresh: true}), parsed.keyId)
    if (!key) {
      const {where} = await keys.describe()
      const current = dataKey((await keys.ring()).current).id
      throw new CcmcpError('STATE_INVALID', `${file} was encrypted with key ${parsed.keyId}, but ccmcp's key (${where}) is ${current}.`, {
        hint: `Nothing was changed. Give ccmcp the key the file was written with (CCMCP_KEY, the keychain entry or the key file, e.g. from a backup); ccmcp never resets the file on its own. To start over instead, move ${file} aside.`,
        reason: 'wrong-key',
        details: {file, keyId: parsed.keyId, currentKeyId: current},
      })
    }
    const plaintext = open(key, parsed, label(file))
    if (plaintext === null) throw damaged(file, 'its encryption does not verify: the file was altered or damaged, or moved from another place')
    return plaintext
  }

  const sealText = async (text: string, file: string) => seal(await writeKey(), text, label(file))

  return {
    name: 'encrypted JSON',
    openText,
    sealText,
    async decode(bytes, file) {
      const text = Buffer.from(bytes).toString('utf8')
      // A plain file from a ccmcp that did not encrypt yet: read it; the next write encrypts it.
      if (!isEnvelope(text)) return JSON.parse(text) as unknown
      return JSON.parse(await openText(text, file)) as unknown
    },
    encode: async (value, file) => `${await sealText(JSON.stringify(value), file)}\n`,
    encodeLine: (value, file) => sealText(JSON.stringify(value), file),
  }
}

/** Plain JSON lines: what tests without a key source use. */
export const plainLineCodec: LineCodec = {encodeLine: (value) => JSON.stringify(value)}

function damaged(file: string, why: string): CcmcpError {
  return new CcmcpError('STATE_INVALID', `${file} cannot be read: ${why}.`, {
    hint: `Nothing was changed; ccmcp never resets it on its own. Restore ${file} from a backup, or move it aside to start over.`,
    reason: 'tampered',
    details: {file},
  })
}
