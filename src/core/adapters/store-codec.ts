/**
 * How a store's value becomes bytes on disk and back. Plain JSON today; an encrypting codec
 * (AES-256-GCM) implements the same interface and is passed to the store where it is created.
 */
import type {StoreCodec} from '../ports.js'

/** Tab-indented JSON, readable and editable by hand (the format conf wrote). */
export const plainJsonCodec: StoreCodec = {
  name: 'JSON',
  decode: (bytes) => JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown,
  encode: (value) => JSON.stringify(value, undefined, '\t'),
}
