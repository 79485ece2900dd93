/**
 * The OS keychain through @napi-rs/keyring: macOS Keychain, Windows Credential Manager, Linux
 * Secret Service. Loaded with import() on first use, so a missing or broken native module is a
 * "keychain unavailable" the caller can fall back from, never a crash at startup. On Linux the
 * entry is pinned to Secret Service: unpinned, the library silently falls back to the kernel
 * keyring, which forgets the key at reboot (and with it every encrypted file).
 */

/** One secret in the keychain. Every method rejects with KeychainUnavailable when the keychain cannot be used. */
export interface KeychainEntry {
  get(): Promise<string | null>
  set(value: string): Promise<void>
  delete(): Promise<boolean>
}

export type OpenKeychainEntry = (service: string, account: string) => Promise<KeychainEntry>

export class KeychainUnavailable extends Error {
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, options)
    this.name = 'KeychainUnavailable'
  }
}

const unavailable = (error: unknown) => new KeychainUnavailable((error as Error)?.message ?? String(error), {cause: error})

export const openKeychainEntry: OpenKeychainEntry = async (service, account) => {
  let module: typeof import('@napi-rs/keyring')
  try {
    module = await import('@napi-rs/keyring')
  } catch (error) {
    throw unavailable(new Error(`the keychain module @napi-rs/keyring cannot be loaded: ${(error as Error).message}`))
  }
  let entry: InstanceType<typeof module.AsyncEntry>
  try {
    entry = new module.AsyncEntry(service, account, {linux: {store: 'secret-service'}})
  } catch (error) {
    throw unavailable(error)
  }
  const wrap = <T>(work: () => Promise<T>) => work().catch((error: unknown) => Promise.reject(unavailable(error)))
  return {
    get: () => wrap(() => entry.getPassword()).then((value) => value ?? null),
    set: (value) => wrap(() => entry.setPassword(value)),
    delete: () => wrap(() => entry.deleteCredential()),
  }
}
