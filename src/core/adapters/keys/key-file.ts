/**
 * The key file: the master key's last resort, when neither CCMCP_KEY nor the OS keychain gives
 * one. 32 random bytes, base64, in a 0600 file inside a 0700 directory. It is created with flag
 * 'wx' (two processes creating it at once: one wins, the other reads the winner's key), and a file
 * or directory that others could read is refused rather than used.
 */
import {randomBytes} from 'node:crypto'
import {chmod, mkdir, readFile, rename, rm, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {CcmcpError} from '../../domain/errors.js'
import {parseKey} from './key-text.js'

export async function readKeyFile(file: string): Promise<Uint8Array | null> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null
    throw error
  })
  if (!info) return null
  const dir = path.dirname(file)
  const dirInfo = await stat(dir)
  if ((dirInfo.mode & 0o077) !== 0 || (info.mode & 0o077) !== 0) {
    const which = (info.mode & 0o077) !== 0 ? `${file} has mode ${octal(info.mode)}` : `${dir} has mode ${octal(dirInfo.mode)}`
    throw new CcmcpError('ENVIRONMENT', `ccmcp's key file is readable by other users: ${which}.`, {
      hint: `Anyone who could read it may hold the key. Run: chmod 700 ${dir} && chmod 600 ${file} && ccmcp key rotate`,
      details: {file},
    })
  }
  return parseKey(await readFile(file, 'utf8'), file)
}

/** Creates the key file with `key` (default: a new one), or reads the one another process created first. */
export async function createKeyFile(file: string, key: Uint8Array = randomBytes(32)): Promise<Uint8Array> {
  const dir = path.dirname(file)
  await mkdir(dir, {recursive: true, mode: 0o700})
  await chmod(dir, 0o700)
  try {
    await writeFile(file, `${Buffer.from(key).toString('base64')}\n`, {mode: 0o600, flag: 'wx'})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    const existing = await readKeyFile(file)
    if (existing) return existing
    throw error
  }
  await chmod(file, 0o600)
  return key
}

/** Replaces the key file's key (key rotation): a temporary 0600 file renamed over it. */
export async function replaceKeyFile(file: string, key: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), {recursive: true, mode: 0o700})
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    await writeFile(temp, `${Buffer.from(key).toString('base64')}\n`, {mode: 0o600, flag: 'wx'})
    await chmod(temp, 0o600)
    await rename(temp, file)
  } finally {
    await rm(temp, {force: true})
  }
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`
