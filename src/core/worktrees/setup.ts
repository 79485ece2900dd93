/**
 * A session's setup command (`session create --setup "npm ci"`), run in each new worktree before
 * its agent starts. It is split into words like --command and run without a shell; a user who
 * wants shell syntax writes the shell themselves: --setup "sh -c 'npm ci && npm run build'".
 */
import {CcmcpError} from '../domain/errors.js'
import type {CoreDeps} from '../pipeline/operation.js'

/** npm ci of a large project on a slow machine. */
export const SETUP_TIMEOUT_MS = 15 * 60_000
const TAIL_LINES = 15

export async function runSetup(deps: CoreDeps, argv: readonly string[], cwd: string): Promise<void> {
  const [program, ...args] = argv
  if (!program) return
  const result = await deps.ports.exec(program, args, {cwd, env: deps.launch.env, timeoutMs: SETUP_TIMEOUT_MS})
  if (result.exitCode === 0) return
  const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-TAIL_LINES).join('\n')
  const what = result.notFound ? 'was not found' : result.timedOut ? `did not finish within ${SETUP_TIMEOUT_MS / 60_000} minutes` : `failed (exit ${result.exitCode ?? 'by a signal'})`
  throw new CcmcpError('AGENT_START_FAILED', `The session's setup command \`${argv.join(' ')}\` ${what} in ${cwd}; the worktree was removed.${output ? ` Its last output:\n${output}` : ''}`, {
    hint: 'Run it yourself in a fresh checkout to see why, or change it with a new session (session create --setup).',
  })
}
