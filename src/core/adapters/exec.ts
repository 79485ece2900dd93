/**
 * The Exec port on execa: argv only (never a shell), a timeout on every call, and failures
 * returned as data so callers decide what a non-zero exit means.
 */
import type {Exec, ExecResult} from '../ports.js'

export const execaExec: Exec = async (file, args, options = {}) => {
  const {execa} = await import('execa')
  const result = await execa(file, [...args], {
    reject: false,
    input: options.input,
    timeout: options.timeoutMs ?? 30_000,
    cwd: options.cwd,
    env: options.env,
    extendEnv: options.env === undefined,
    stripFinalNewline: false,
    stdin: options.input === undefined ? 'ignore' : 'pipe',
  })
  const code = (result as {code?: string}).code
  const out: ExecResult = {
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr: typeof result.stderr === 'string' ? result.stderr : '',
    exitCode: result.exitCode,
    notFound: code === 'ENOENT',
    timedOut: result.timedOut,
  }
  return out
}
