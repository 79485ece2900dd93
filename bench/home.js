/**
 * A ccmcp home for the bench, as ccmcp keeps it: state encrypted with a key kept in the home's
 * key file (what agents' hooks read; they never see CCMCP_KEY), one agent whose launch secret the
 * bench's hooks present. Reading goes through the runtime's state store, as `session status` does.
 * Works from bench/run.js (dist) and bench/claude-turns.ts (tsx) alike: `dist` names the folder.
 */
import {createHash, randomBytes} from 'node:crypto'
import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

export const BENCH_SECRET = randomBytes(32).toString('base64url')

/** `modules`: the folder holding core/ (dist, or src under tsx). */
export async function seedHome(home, modules, {root, status = 'busy'} = {}) {
  const {atRest} = await import(pathToFileURL(path.join(modules, 'core', 'adapters', 'at-rest.js')).href)
  const now = new Date().toISOString()
  const agent = {session: 'bench', name: 'Agent_1', kind: 'claude', command: ['claude'], status, tab: null, conversationId: null,
    createdAt: now, lastEventAt: null, lastError: null, waitingFor: null, lastReply: null, claudeVersion: null, launchId: 'bench-launch',
    secretDigest: createHash('sha256').update(BENCH_SECRET).digest('hex')}
  const state = {schemaVersion: 1, sessions: [{name: 'bench', root: root ?? home, backend: 'tmux', createdAt: now, nextAgentNumber: 2}], agents: [agent]}
  await mkdir(home, {recursive: true, mode: 0o700})
  const file = path.join(home, 'state.json')
  const {codec} = atRest({env: {CCMCP_KEY: Buffer.alloc(32, 9).toString('base64')}, home})
  await writeFile(file, await codec.encode(state, file), {mode: 0o600})
  // As ccmcp does before any agent reports: the state read once (this also writes what hooks need).
  await readState(home, modules)
}

/** The state as ccmcp's commands read it. */
export async function readState(home, modules) {
  return (await stateReader(home, modules))()
}

/** A function that reads the state as ccmcp's commands do (one runtime, many reads). */
export async function stateReader(home, modules) {
  const {createRuntime} = await import(pathToFileURL(path.join(modules, 'core', 'entry', 'runtime.js')).href)
  const runtime = await createRuntime({env: {...benchEnv(process.env), CCMCP_HOME: home}, keySource: null})
  return () => runtime.deps.ports.state.read()
}

/** The environment of the bench's processes: never ccmcp's key (agents do not have it). */
export function benchEnv(env) {
  const {CCMCP_KEY: _key, ...rest} = env
  return rest
}

export const hookEnvFor = (home) => ({CCMCP_HOME: home, CCMCP_SESSION: 'bench', CCMCP_AGENT: 'Agent_1', CCMCP_LAUNCH_ID: 'bench-launch', CCMCP_AGENT_SECRET: BENCH_SECRET})
