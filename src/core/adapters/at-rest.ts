/**
 * Encryption at rest for one ccmcp home: the key source, the codec every store and event log
 * uses, and key rotation. Built by the composition roots (runtime.ts, hook-runtime.ts); nothing
 * is loaded or asked of the keychain until a file is first read or written.
 */
import type {Logger} from '../ports.js'
import {type EncryptedCodec, createEncryptedCodec} from './crypto/encrypted-codec.js'
import {createKeyRotation} from './crypto/key-rotation.js'
import {type LocalKeySource, createKeySource} from './keys/key-source.js'
import type {OpenKeychainEntry} from './keys/keychain.js'

export interface AtRest {
  keys: LocalKeySource
  codec: EncryptedCodec
  rotation: ReturnType<typeof createKeyRotation>
}

export function atRest(options: {env: NodeJS.ProcessEnv; home: string; logger?: Logger; keychain?: OpenKeychainEntry}): AtRest {
  const keys = createKeySource(options)
  const codec = createEncryptedCodec(keys, options.home)
  return {keys, codec, rotation: createKeyRotation({keys, codec, home: options.home, logger: options.logger})}
}
