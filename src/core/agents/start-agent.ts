/**
 * Launching an agent's tab and waiting until it takes input: shared by create, new
 * conversation, restart and recover. A claude agent is ready at its SessionStart hook; a trust
 * dialog, an early exit or a timeout end the wait with the agent's last screen lines.
 */
import {pollUntil} from '../domain/poll.js'
import {updateAgent} from './agent-store.js'
import {openAgentTab} from './tabs.js'
import {CLAUDE_SCREEN} from './claude-screen.js'
import {type Agent, type SessionRecord, agentKey} from '../domain/state.js'
import {findProgram} from '../platform/programs.js'
import {CcmcpError} from '../domain/errors.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {TRUST_WAITING_FOR, claudeConfigPath, recordTrust, trustHint} from './trust.js'
import {waitForAgentState} from './waiting.js'
import {SANDBOX_INSTALL_HINT, SANDBOX_UNAVAILABLE_SCREEN, assertSandboxAvailable} from './confinement.js'

/** The reason of the AGENT_START_FAILED a launch gives when the program ended before it was ready. */
export const ENDED_WHILE_STARTING = 'ended-while-starting'
/** The reason when Claude Code refused to start because its sandbox cannot run (failIfUnavailable). */
export const SANDBOX_UNAVAILABLE = 'sandbox-unavailable'

/** Claude Code versions ccmcp was tested with (README "Supported Claude Code"). */
export const TESTED_CLAUDE = {major: 2, minMinor: 1}
/** A program agent that ends within this long of its tab opening did not start (a typo, a missing program). */
export const EARLY_EXIT_MS = 1000
/** How long the early-exit watch waits for the tab's launcher to start the program. */
const HANDOVER_WAIT_MS = 30_000
/** How long an early exit waits for tmux to record the program's exit status. */
const EXIT_STATUS_WAIT_MS = 3000
/** SessionStart fires before the prompt takes input: a median 0.28 s, up to 1.5 s (test/claude/FINDINGS.md). */
const PROMPT_READY_MS = 3000

/**
 * After a claude agent's SessionStart: waits (bounded) until its footer shows the prompt takes
 * input, so the Enter of the first message is not lost. Without the footer it goes on anyway.
 */
export async function awaitPromptReady(deps: CoreDeps, agent: Agent): Promise<boolean> {
  if (agent.kind !== 'claude' || !agent.tab) return true
  const backend = deps.ports.backend(agent.tab.backend)
  const tab = agent.tab
  return await pollUntil(deps.ports.clock, async () => (CLAUDE_SCREEN.ready.test(await backend.readScreen(tab, 8).catch(() => '')) ? true : undefined), {timeoutMs: PROMPT_READY_MS}) === true
}

/** `claude --version` → "2.1.330"; a missing program is a clear error before any tab opens. */
export async function claudeVersion(deps: CoreDeps, bin: string): Promise<string> {
  const result = await deps.ports.exec(bin, ['--version'], {timeoutMs: 20_000, env: deps.launch.env})
  if (result.notFound) {
    const location = await findProgram(bin, {env: deps.launch.env, home: deps.launch.env.HOME ?? deps.ports.host.homeDir(), host: deps.ports.host})
    throw new CcmcpError('AGENT_START_FAILED', `Claude Code was not found: ${bin}`, {
      hint: `${location.path ? `It is at ${location.path}, which is not on PATH: ` : `Looked in ${location.searched.join(', ')}. Install it (npm install -g @anthropic-ai/claude-code), or `}point CCMCP_CLAUDE_BIN or \`ccmcp config set claudeBin\` at it.`,
    })
  }
  const version = /(\d+\.\d+\.\d+)/.exec(result.stdout)?.[1]
  if (result.exitCode !== 0 || !version) {
    throw new CcmcpError('AGENT_START_FAILED', `\`${bin} --version\` failed: ${(result.stderr || result.stdout).trim() || `exit ${result.exitCode}`}`, {
      hint: 'Check that Claude Code runs in a terminal on its own.',
    })
  }
  const [major, minor] = version.split('.').map(Number)
  if (major !== TESTED_CLAUDE.major || (minor ?? 0) < TESTED_CLAUDE.minMinor) {
    deps.ports.logger.warn(`Claude Code ${version} is outside the range ccmcp was tested with (${TESTED_CLAUDE.major}.${TESTED_CLAUDE.minMinor}.x); statuses may be wrong`)
  }
  return version
}

export interface LaunchOptions {
  /** Continue the agent's conversation (claude --resume). */
  resume?: boolean
  /** Wait until a claude agent is ready (default true). */
  wait?: boolean
  /** Told what the agent is doing while the launch waits for it to be ready. */
  progress?: (message: string) => void
}

/** Opens the tab for an agent record already in state (status `starting`) and records it. */
export async function launchAgent(deps: CoreDeps, agent: Agent, session: SessionRecord, options: LaunchOptions = {}): Promise<Agent> {
  const key = agentKey(agent)
  const version = agent.kind === 'claude' ? await claudeVersion(deps, agent.command[0] ?? 'claude') : null
  if (agent.kind === 'claude') await assertSandboxAvailable(deps, session)
  if (agent.kind === 'claude' && (await deps.ports.config.read()).trustRoots) {
    await recordTrust(deps.ports.host, claudeConfigPath(deps.launch.env, deps.ports.host.homeDir()), session.root, deps.ports.clock.now())
  }
  const tab = await openAgentTab(deps, agent, session, {resume: options.resume})
  const launched = await updateAgent(deps, key, (current) => ({
    ...current,
    tab,
    launcherPid: null,
    claudeVersion: version ?? current.claudeVersion,
    // Nothing will report for a plain program: alive is all there is to know.
    status: current.status === 'starting' && current.kind === 'command' ? 'unknown' : current.status,
  }))
  if (agent.kind !== 'claude') return awaitEarlyExit(deps, launched)
  if (options.wait === false) return launched
  return awaitReady(deps, launched, options.progress)
}

/**
 * A program reports nothing, so its first second is watched: ending in it (exit 127 for a
 * missing program) fails the launch with its last screen lines; the agent is left `exited`.
 */
async function awaitEarlyExit(deps: CoreDeps, agent: Agent): Promise<Agent> {
  const tab = agent.tab
  if (!tab) return agent
  const backend = deps.ports.backend(tab.backend)
  const find = async () => (await backend.listTabs()).find((candidate) => candidate.launchId === tab.launchId)
  // The second counts from the program's start: a loaded machine can keep the launcher waiting longer.
  if (backend.handedOver) {
    await pollUntil(deps.ports.clock, async () => ((await backend.handedOver?.(tab)) || (await find())?.alive === false ? true : undefined), {timeoutMs: HANDOVER_WAIT_MS})
  }
  const dead = await pollUntil(deps.ports.clock, async () => {
    const listed = await find()
    return listed && !listed.alive ? listed : undefined
  }, {timeoutMs: EARLY_EXIT_MS})
  if (!dead) return agent
  // tmux marks a pane dead a moment before it has the exit status (under load, seconds; rarely
  // never): wait a little for it, then report the exit without one.
  const info = dead.exitStatus !== null ? dead : ((await pollUntil(deps.ports.clock, async () => {
    const listed = await find()
    return listed && listed.exitStatus !== null ? listed : undefined
  }, {timeoutMs: EXIT_STATUS_WAIT_MS})) ?? dead)
  const lastError = `exited with status ${info.exitStatus ?? 'unknown'} within ${EARLY_EXIT_MS / 1000} s of starting`
  const screen = await backend.readScreen(tab, 12).catch(() => '(screen unavailable)')
  const exited = await updateAgent(deps, agentKey(agent), (current) => ({...current, status: 'exited', lastError}))
  throw new CcmcpError('AGENT_START_FAILED', `${agentKey(agent)} ${lastError}: \`${agent.command.join(' ')}\`. Last lines on its screen:\n${screen || '(empty)'}`, {
    hint: 'Check the program name and its arguments (is it installed and on PATH?); run it in a terminal in the session root to see why it ends.',
    details: {agent: exited, discard: true},
  })
}

async function awaitReady(deps: CoreDeps, agent: Agent, progress?: (message: string) => void): Promise<Agent> {
  const key = agentKey(agent)
  const config = await deps.ports.config.read()
  const screenTail = async (current: Agent) =>
    current.tab ? await deps.ports.backend(current.tab.backend).readScreen(current.tab, 12).catch(() => '(screen unavailable)') : '(no tab)'
  let ready: Agent
  try {
    ready = await waitForAgentState(deps, key, (current) => current.status !== 'starting', {timeoutMs: config.readyTimeoutMs, what: 'become ready', progress})
  } catch (error) {
    if (!(error instanceof CcmcpError) || error.code !== 'TIMEOUT') throw error
    const current = (error.details?.agent as Agent | undefined) ?? agent
    throw new CcmcpError('AGENT_START_FAILED', `${key} did not become ready within ${config.readyTimeoutMs / 1000} s (no SessionStart hook). Last lines on its screen:\n${await screenTail(current)}`, {
      hint: `Look at it with \`ccmcp agent focus ${key}\`; raise the wait with \`ccmcp config set readyTimeoutMs N\`.`,
    })
  }
  if (ready.status === 'waiting' && ready.waitingFor === TRUST_WAITING_FOR) {
    const root = (await deps.ports.state.read()).sessions.find((session) => session.name === ready.session)?.root ?? '<root>'
    throw new CcmcpError('AGENT_START_FAILED', `${key} is waiting on Claude Code's workspace-trust dialog for ${root}; ccmcp does not answer it for you.`, {
      hint: trustHint(ready.session, root),
      // A new agent stuck at the dialog is of no use; an existing one waits for trust_session.
      details: {agent: ready, discard: true},
    })
  }
  if (ready.status === 'exited' || ready.status === 'lost') {
    const screen = await screenTail(ready)
    if (SANDBOX_UNAVAILABLE_SCREEN.test(screen)) throw sandboxUnavailable(key, screen, ready)
    throw new CcmcpError('AGENT_START_FAILED', `${key} ended while starting${ready.lastError ? ` (${ready.lastError})` : ''}. Last lines on its screen:\n${await screenTail(ready)}`, {
      hint: 'Run the same claude command in a terminal to see why; check CCMCP_CLAUDE_BIN and its login.',
      reason: ENDED_WHILE_STARTING,
    })
  }
  // With failIfUnavailable Claude Code reports SessionStart and then exits 1: no prompt ever shows.
  if (!(await awaitPromptReady(deps, ready))) {
    const screen = await screenTail(ready)
    if (SANDBOX_UNAVAILABLE_SCREEN.test(screen)) {
      const exited = await updateAgent(deps, key, (current) => ({...current, status: 'exited', lastError: 'sandbox unavailable'}))
      throw sandboxUnavailable(key, screen, exited)
    }
  }
  return ready
}

function sandboxUnavailable(key: string, screen: string, agent: Agent): CcmcpError {
  return new CcmcpError('AGENT_START_FAILED', `${key} ended while starting: sandbox unavailable. Claude Code refused to run without its sandbox (bubblewrap and socat on Linux). Last lines on its screen:\n${screen}`, {
    hint: `${SANDBOX_INSTALL_HINT}, then create the agent again; \`ccmcp doctor\` checks it. Or create the session with --no-sandbox to run its agents unconfined.`,
    reason: SANDBOX_UNAVAILABLE,
    details: {agent, discard: true},
  })
}
