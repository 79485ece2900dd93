/**
 * The wire protocol between this ccmcp and the one on another host: `ccmcp call <operation>
 * --protocol N --json` with the operation's input as JSON on stdin, its output (or the error
 * document every `--json` command prints) on stdout, and ccmcp's exit codes. Nothing else crosses.
 */
import {CcmcpError, EXIT_CODES, type ErrorCode} from '../domain/errors.js'

/** Bumped on any change either side must know about; a remote that speaks another refuses clearly. */
export const WIRE_PROTOCOL = 1

export const callArgs = (operation: string): string[] => ['call', operation, '--protocol', String(WIRE_PROTOCOL), '--json']

/** What the remote `call` prints on success. */
export interface WireAnswer {
  protocol: number
  version: string
  output: unknown
}

export interface WireResult {
  stdout: string
  stderr: string
  exitCode: number | undefined
  timedOut: boolean
}

/** ssh's own failures (it could not connect, authenticate, or was killed) end with 255. */
const SSH_FAILED = 255
/** The remote shell's "command not found". */
const NOT_FOUND = 127

/** The operation's output, or the remote's error as this side's CcmcpError (same code, same exit). */
export function decodeAnswer(host: string, remoteCcmcp: string, result: WireResult): unknown {
  const where = `on ${host}`
  if (result.timedOut) {
    throw new CcmcpError('TIMEOUT', `The call to ccmcp ${where} did not finish in time.`, {hint: `Check the host with \`ccmcp doctor --host ${host}\`.`, reason: 'remote-timeout', details: {host}})
  }
  const document = parseLastJsonLine(result.stdout)
  if (document && typeof document === 'object' && 'error' in document) {
    const error = (document as {error: {code?: string; message?: string; hint?: string | null; details?: Record<string, unknown>}}).error
    const code = (error.code && error.code in EXIT_CODES ? error.code : 'UNEXPECTED') as ErrorCode
    throw new CcmcpError(code, `${error.message ?? 'The remote ccmcp failed.'} (${where})`, {hint: error.hint ?? undefined, details: {...error.details, host}, reason: 'remote'})
  }
  if (result.exitCode === 0 && document && typeof document === 'object' && 'protocol' in document) {
    const answer = document as WireAnswer
    if (answer.protocol !== WIRE_PROTOCOL) throw protocolMismatch(host, `it speaks protocol ${answer.protocol}`)
    return answer.output
  }
  const lastLine = result.stderr.trim().split('\n').at(-1) ?? ''
  if (result.exitCode === SSH_FAILED) {
    throw new CcmcpError('BACKEND_UNAVAILABLE', `Cannot reach ${host} over ssh: ${lastLine || 'ssh failed'}.`, {
      hint: `Check that \`ssh ${host} true\` works without a password prompt (ccmcp runs ssh with BatchMode=yes), or run \`ccmcp doctor --host ${host}\`.`,
      reason: 'host-unreachable',
      details: {host},
    })
  }
  if (result.exitCode === NOT_FOUND) {
    throw new CcmcpError('ENVIRONMENT', `ccmcp is not installed ${where} (the remote shell could not find \`${remoteCcmcp}\`).`, {
      hint: `Install ccmcp there (npm install -g ccmcp), or name it with --remote-ccmcp, e.g. --remote-ccmcp "~/.npm-global/bin/ccmcp".`,
      reason: 'remote-ccmcp-missing',
      details: {host},
    })
  }
  throw protocolMismatch(host, lastLine ? `it answered: ${lastLine.slice(0, 200)}` : `it exited with ${result.exitCode ?? 'a signal'} and no answer`)
}

function protocolMismatch(host: string, what: string): CcmcpError {
  return new CcmcpError('ENVIRONMENT', `The ccmcp on ${host} does not speak this ccmcp's wire protocol ${WIRE_PROTOCOL}: ${what}.`, {
    hint: `Install the same ccmcp version on both machines (this one: \`ccmcp --version\`).`,
    reason: 'remote-protocol',
    details: {host},
  })
}

/** A `--json` command prints one (pretty-printed) JSON document; anything a login script printed before it is skipped. */
function parseLastJsonLine(stdout: string): unknown {
  const text = stdout.trim()
  if (!text) return null
  // The document is pretty-printed: only its own first line starts with "{" at column 0.
  const start = text.startsWith('{') ? 0 : text.indexOf('\n{') + 1
  try {
    return JSON.parse(text.slice(start))
  } catch {
    return null
  }
}
