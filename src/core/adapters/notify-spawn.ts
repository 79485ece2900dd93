/**
 * Runs notification programs detached (argv only, never a shell), so a hook that wrote a
 * transition returns at once, and finds notify-send on PATH. A missing program is logged, not thrown.
 */
import {spawn} from 'node:child_process'
import {accessSync, constants} from 'node:fs'
import path from 'node:path'

export function spawnDetached(argv: readonly string[], env: Record<string, string>, onError: (error: Error) => void = () => undefined): void {
  const [file, ...args] = argv
  if (!file) return
  const child = spawn(file, args, {detached: true, stdio: 'ignore', env})
  child.on('error', onError)
  child.unref()
}

export function onPath(program: string, pathVariable: string | undefined): boolean {
  for (const dir of (pathVariable ?? '').split(path.delimiter)) {
    if (!dir) continue
    try {
      accessSync(path.join(dir, program), constants.X_OK)
      return true
    } catch {
      // Not in this directory.
    }
  }
  return false
}
