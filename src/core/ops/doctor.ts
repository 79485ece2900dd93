/**
 * doctor: can ccmcp work here? Checks the state store, each terminal backend in use, and the
 * programs agents need (found on PATH or in the usual install locations, with their versions),
 * and gives the Claude Desktop entry for this ccmcp. Never changes anything.
 */
import * as z from 'zod'

import {claudeDesktopConfigPath, desktopSnippet, serverEntry} from '../platform/client-config.js'
import type {BackendName} from '../domain/state.js'
import {EXIT_CODES, type ErrorCode, toCcmcpError} from '../domain/errors.js'
import {type ProgramLocation, describeLocation, findProgram} from '../platform/programs.js'
import {type CoreDeps, defineOperation} from '../pipeline/operation.js'

const ERROR_CODES = Object.keys(EXIT_CODES) as [ErrorCode, ...ErrorCode[]]

const Check = z.object({
  name: z.string().describe('What was checked, e.g. "backend tmux" or "program claude"'),
  status: z.enum(['ok', 'warn', 'fail']),
  detail: z.string().describe('What was found'),
  hint: z.string().nullable().describe('What to do about a warning or failure'),
  code: z.enum(ERROR_CODES).nullable().describe('Error code of a failure (the CLI exits with its code)'),
})
type Check = z.infer<typeof Check>

const Program = z.object({
  name: z.string(),
  path: z.string().nullable().describe('Where it was found, or null'),
  version: z.string().nullable().describe('What `--version` (tmux: `-V`) printed, first line'),
  searched: z.array(z.string()).describe('Directories looked in, in order'),
})

export const doctor = defineOperation({
  name: 'doctor',
  title: 'Check ccmcp setup',
  description:
    'Check that ccmcp can work on this machine: state store readable, terminal backend available, claude (and tmux) found with their versions. Also gives the Claude Desktop config entry for this ccmcp. Changes nothing.',
  level: 'LOW',
  annotations: {readOnly: true, destructive: false, idempotent: true},
  mcp: true,
  input: z.object({}),
  output: z.object({
    ok: z.boolean().describe('true when no check failed'),
    checks: z.array(Check),
    programs: z.array(Program),
    claudeDesktop: z.object({
      configFile: z.string().describe("Claude Desktop's config file on this platform"),
      snippet: z.record(z.string(), z.unknown()).describe('JSON to merge into that file'),
    }),
  }),
  async handler(_input, {deps}) {
    const checks: Check[] = []
    const home = deps.launch.env.HOME || deps.ports.host.homeDir()
    let backends: BackendName[] = []
    try {
      const state = await deps.ports.state.read()
      checks.push(ok('state store', `${deps.ports.state.path}: ${state.sessions.length} sessions, ${state.agents.length} agents`))
      backends = state.sessions.map((session) => session.backend)
    } catch (error) {
      checks.push(failed('state store', error, deps.ports.state.path))
    }
    let claude = 'claude'
    try {
      const config = await deps.ports.config.read()
      backends = [...new Set([deps.settings.defaultBackend(config), ...backends])]
      claude = deps.launch.claudeBin(config)
      checks.push(ok('config', `${deps.ports.config.path} is valid`))
    } catch (error) {
      checks.push(failed('config', error, deps.ports.config.path))
    }
    checks.push(await keyCheck(deps))
    for (const name of backends) checks.push(await backendCheck(deps, name))
    const wanted = [...(backends.includes('tmux') ? [PROGRAMS.tmux] : []), {...PROGRAMS.claude, program: claude}]
    const programs = []
    for (const spec of wanted) {
      const location = await findProgram(spec.program, {env: deps.launch.env, home, host: deps.ports.host})
      const version = location.path ? await versionOf(deps, location.path, spec.versionArgs) : null
      programs.push({name: spec.label, path: location.path, version, searched: location.searched})
      checks.push(programCheck(spec, location, version))
    }
    return {
      ok: checks.every((check) => check.status !== 'fail'),
      checks,
      programs,
      claudeDesktop: {configFile: claudeDesktopConfigPath(deps.launch.env, home), snippet: desktopSnippet(serverEntry(deps.launch.ccmcpCommand))},
    }
  },
})

interface ProgramSpec {
  label: string
  program: string
  versionArgs: string[]
  /** Code and advice when the program is missing. */
  missing: {code: ErrorCode; hint: string}
}

const PROGRAMS = {
  tmux: {
    label: 'tmux',
    program: 'tmux',
    versionArgs: ['-V'],
    missing: {code: 'BACKEND_UNAVAILABLE', hint: 'Install tmux (macOS: brew install tmux; Debian/Ubuntu: apt-get install tmux).'},
  },
  claude: {
    label: 'claude',
    program: 'claude',
    versionArgs: ['--version'],
    missing: {
      code: 'NOT_FOUND',
      hint: 'Install Claude Code (npm install -g @anthropic-ai/claude-code), or tell ccmcp where it is: `ccmcp config set claudeBin /path/to/claude` or env CCMCP_CLAUDE_BIN.',
    },
  },
} satisfies Record<string, ProgramSpec>

/** Which source gives the master key: `key  keychain: Secret Service: … (key 1a2b…)`. */
async function keyCheck(deps: CoreDeps): Promise<Check> {
  try {
    const key = await deps.ports.keys.describe()
    const label = {env: 'CCMCP_KEY', keychain: 'keychain', file: 'key file'}[key.source]
    const where = key.source === 'env' ? '' : ` ${key.where}`
    return ok('key', `${label}:${where}${key.keyId ? ` (key ${key.keyId})` : ''}${key.note ? `; ${key.note}` : ''}`)
  } catch (error) {
    return failed('key', error)
  }
}

async function backendCheck(deps: CoreDeps, name: BackendName): Promise<Check> {
  try {
    const tabs = await deps.ports.backend(name).listTabs()
    return ok(`backend ${name}`, `${name} works (${tabs.length} ccmcp tab${tabs.length === 1 ? '' : 's'} open)`)
  } catch (error) {
    return failed(`backend ${name}`, error)
  }
}

function programCheck(spec: ProgramSpec, location: ProgramLocation, version: string | null): Check {
  const name = `program ${spec.label}`
  const where = describeLocation(location)
  if (!location.path) return {name, status: 'fail', detail: where, ...spec.missing}
  if (version === null) return {name, status: 'warn', detail: `${where}; asking its version failed`, code: null, hint: `Run ${location.path} ${spec.versionArgs.join(' ')} by hand to see what is wrong.`}
  return {name, status: 'ok', detail: `${where} (${version})`, code: null, hint: null}
}

async function versionOf(deps: CoreDeps, file: string, args: string[]): Promise<string | null> {
  const result = await deps.ports.exec(file, args, {timeoutMs: 10_000, env: deps.launch.env})
  const line = result.stdout.trim().split('\n')[0]?.trim()
  return result.exitCode === 0 && line ? line : null
}

function ok(name: string, detail: string): Check {
  return {name, status: 'ok', detail, hint: null, code: null}
}

function failed(name: string, error: unknown, file?: string): Check {
  const failure = toCcmcpError(error)
  const detail = file && !failure.message.includes(file) ? `${file}: ${failure.message}` : failure.message
  // A check's remedy is for the person at this machine (install, configure): the CLI wording.
  return {name, status: 'fail', detail, hint: failure.hintFor('cli') ?? null, code: failure.code}
}
