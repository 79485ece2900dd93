/**
 * `ccmcp --version` without oclif, printing what oclif prints (its config's userAgent):
 * `ccmcp/<version> <platform>-<arch> node-<version>`. oclif names WSL's platform `wsl`; there
 * the answer is left to oclif (see bin/run.js), so this never has to guess.
 */
import {existsSync, readFileSync} from 'node:fs'
import os from 'node:os'

export function versionText(packageJsonFile: URL): string {
  const pjson = JSON.parse(readFileSync(packageJsonFile, 'utf8')) as {name: string; version?: string}
  const arch = os.arch() === 'ia32' ? 'x86' : os.arch()
  return `${pjson.name}/${pjson.version || '0.0.0'} ${os.platform()}-${arch} node-${process.version}`
}

/** Whatever oclif's platform check (is-wsl) might call WSL; inside a container it says not, and oclif is asked then too. */
export function mayBeWsl(): boolean {
  if (process.platform !== 'linux') return false
  if (os.release().toLowerCase().includes('microsoft')) return true
  try {
    if (readFileSync('/proc/version', 'utf8').toLowerCase().includes('microsoft')) return true
  } catch {
    // no /proc: not WSL by this test
  }
  return existsSync('/proc/sys/fs/binfmt_misc/WSLInterop') || existsSync('/run/WSL')
}
