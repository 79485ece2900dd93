/** Agent operations: create, list, read the screen, focus, delete. */
import {randomUUID} from 'node:crypto'
import * as z from 'zod'

import {reconciledState} from '../agents/live-state.js'
import {currentAgent} from '../agents/agent-store.js'
import {closeAgentTab, removeAgentFiles} from '../agents/tabs.js'
import {sendOrQueue, senderHeader} from '../delivery/delivery.js'
import {Agent, Name, PublicAgent, agentKey} from '../domain/state.js'
import {CcmcpError} from '../domain/errors.js'
import {PermissionMode} from '../domain/config.js'
import {remoteAgents} from '../remote/forward.js'
import {defineOperation} from '../pipeline/operation.js'
import {findAgent, findSession} from '../agents/resolve.js'
import {splitCommandLine, validateMessage} from '../domain/message-text.js'
import {launchAgent} from '../agents/start-agent.js'
import {programRunning} from '../agents/program-running.js'
import {isTabless} from '../domain/status.js'
import {shellQuote} from '../domain/shell-quote.js'
import {withControlMode} from '../agents/attach.js'
import {sweepSessions} from '../tasks/board-io.js'
import {AgentView, agentViews} from '../agents/agent-view.js'
import {ForceFlag, WorktreeInput} from '../worktrees/session-options.js'
import {assertWorktreesRemovable, removeAgentWorktree} from '../worktrees/remove.js'
import {checkWorktreeRequest, discardNewWorktree, withWorktree} from '../worktrees/agent-worktree.js'

export const AgentRef = z.string().min(1).describe('Agent as session/Agent_N, or Agent_N alone when only one session has it')

/** Far above any real command line, below what exec(2) takes (Linux: 128 KiB per argument). */
export const MAX_COMMAND_CHARS = 16 * 1024

const CommandLine = z
  .string()
  .refine((line) => !line.includes('\0'), {message: 'contains a NUL byte, which no program can receive in its arguments; remove it'})
  .refine((line) => line.length <= MAX_COMMAND_CHARS, {message: `is longer than ${MAX_COMMAND_CHARS} characters, more than a program can be given; put long input in a file and pass its path`})

export const createAgent = defineOperation({
  name: 'create_agent',
  scope: (input) => ({sessions: [input.session], startsAgent: true}),
  raisedLevel: (input) => programRunning(input),
  title: 'Create agent',
  description:
    'Start a new agent in its own terminal tab in the session root: Claude Code by default (named Agent_N, told its identity), or any program given as command. While it waits for the agent to be ready it sends progress notifications; Claude Desktop ends a tool call after about 60 s whatever the progress, so there pass wait: false and follow with wait_for_agent (timeoutSeconds about 45).',
  level: 'MEDIUM',
  annotations: {readOnly: false, destructive: false, idempotent: false},
  mcp: true,
  input: z.object({
    session: Name.describe('Session to add the agent to'),
    name: Name.optional().describe('Agent name (default: the next Agent_N)'),
    command: CommandLine.optional().describe('Run this program instead of Claude Code, e.g. "aider --model x" (split into words, never run by a shell)'),
    prompt: z.string().optional().describe('First message, sent once the agent is ready (queued if it is not ready yet)'),
    permissionMode: PermissionMode.optional().describe('Claude Code --permission-mode (default: config permissionMode, else Claude Code\'s own)'),
    wait: z.boolean().default(true).describe('Return only once a claude agent is ready for input (false: return at once)'),
    ...WorktreeInput,
  }),
  output: z.object({agent: PublicAgent}),
  async handler(input, {deps, limits, caller, progress}) {
    const config = await deps.ports.config.read()
    const permissionMode = input.permissionMode ?? config.permissionMode
    const argv =
      input.command === undefined
        ? [deps.launch.claudeBin(config), ...(permissionMode ? ['--permission-mode', permissionMode] : [])]
        : splitCommandLine(input.command)
    const prompt = input.prompt === undefined ? undefined : validateMessage(input.prompt, 'prompt')
    const kind = input.command === undefined ? 'claude' : 'command'
    const maxAgents = limits.maxAgents ?? config.maxAgents
    const now = deps.ports.clock.now().toISOString()
    const worktree = await checkWorktreeRequest(deps, input)
    // Reserve the name under the lock, so concurrent creators never pick the same one.
    const {agent, session} = await deps.ports.state.update((state) => {
      const session = findSession(state, input.session)
      const siblings = state.agents.filter((candidate) => candidate.session === session.name)
      if (siblings.length >= maxAgents) {
        throw new CcmcpError('LIMIT_REACHED', `Session "${session.name}" already has ${siblings.length} agents (the limit is ${maxAgents}).`, {
          hint: {cli: 'Delete an agent, or raise the limit with --max-agents or `ccmcp config set maxAgents N`.', mcp: 'Delete an agent (delete_agent), or raise the limit with set_config (key maxAgents).'},
        })
      }
      let number = session.nextAgentNumber
      while (!input.name && siblings.some((candidate) => candidate.name === `Agent_${number}`)) number++
      const name = input.name ?? `Agent_${number}`
      if (siblings.some((candidate) => candidate.name === name)) {
        throw new CcmcpError('ALREADY_EXISTS', `Session "${session.name}" already has an agent named "${name}".`, {
          hint: {cli: 'Pick another --name, or leave it out to get the next Agent_N.', mcp: 'Pick another name, or leave it out to get the next Agent_N.'},
        })
      }
      // Agent.parse fills every optional field with its default.
      const agent = Agent.parse({
        session: session.name,
        name,
        kind,
        command: argv,
        status: 'starting',
        tab: null,
        conversationId: kind === 'claude' ? randomUUID() : null,
        createdAt: now,
        lastEventAt: null,
        lastError: null,
        launchId: randomUUID(),
        launcherPid: deps.ports.host.pid,
      })
      const sessions = state.sessions.map((candidate) =>
        candidate.name === session.name && !input.name ? {...candidate, nextAgentNumber: number + 1} : candidate,
      )
      return {value: {...state, sessions, agents: [...state.agents, agent]}, result: {agent, session}}
    })
    let created
    try {
      const placed = worktree ? await withWorktree(deps, agent, session, worktree) : agent
      created = await launchAgent(deps, placed, session, {wait: input.wait, progress})
    } catch (error) {
      // A tab that never opened leaves nothing behind; one that opened stays for inspection,
      // unless the error already carries all there is to see (a program that ended at once).
      const current = (await deps.ports.state.read()).agents.find((candidate) => agentKey(candidate) === agentKey(agent))
      const discard = error instanceof CcmcpError && error.details?.discard === true
      if (current && discard) await closeAgentTab(deps, current)
      if (current && (!current.tab || discard)) {
        if (current.worktree) await discardNewWorktree(deps, session, current.worktree)
        await deps.ports.state.update((state) => ({value: {...state, agents: state.agents.filter((candidate) => agentKey(candidate) !== agentKey(agent))}, result: undefined}))
        await removeAgentFiles(deps, agent)
      }
      throw error
    }
    if (prompt !== undefined) {
      await sendOrQueue(deps, created, senderHeader(created, caller, false) + prompt)
      created = await currentAgent(deps, agentKey(agent))
    }
    return {agent: created}
  },
})

export const listAgents = defineOperation({
  name: 'list_agents',
  scope: (input) => (input.session === undefined ? 'every-session' : {sessions: [input.session]}),
  title: 'List agents',
  description: 'List agents (of one session, or all) with their live status, tokens and estimated cost (usage), and for agents with a worktree their branch and unmerged work (git). An agent sees only the agents of its own session.',
  level: 'LOW',
  annotations: {readOnly: true, destructive: false, idempotent: true},
  mcp: true,
  input: z.object({session: Name.optional().describe('Only this session')}),
  output: z.object({agents: z.array(AgentView)}),
  async handler(input, {deps}) {
    const state = await reconciledState(deps)
    if (input.session !== undefined) findSession(state, input.session)
    // (A remote session named here was sent to its host whole; this spans every session.)
    const remote = input.session === undefined ? (await remoteAgents(deps, state.sessions)).agents : []
    return {agents: [...(await agentViews(deps, state, state.agents.filter((agent) => input.session === undefined || agent.session === input.session), {git: true})), ...remote]}
  },
})

export const readAgentScreen = defineOperation({
  name: 'read_agent_screen',
  scope: (input) => ({agents: [input.agent]}),
  title: "Read agent's screen",
  description: "Read the last lines of an agent's terminal tab (its screen and scrollback).",
  level: 'LOW',
  annotations: {readOnly: true, destructive: false, idempotent: true},
  mcp: true,
  input: z.object({
    agent: AgentRef,
    lines: z.number().int().min(1).max(10_000).default(50).describe('How many lines, counted from the bottom'),
  }),
  output: z.object({agent: PublicAgent, screen: z.string()}),
  async handler(input, {deps}) {
    const agent = findAgent(await reconciledState(deps), input.agent)
    if (!agent.tab || isTabless(agent)) {
      throw new CcmcpError('AGENT_NOT_RUNNING', `${agentKey(agent)} has no tab to read (status: ${agent.status}).`, {
        hint: newConversationHint(agentKey(agent)),
      })
    }
    const raw = await deps.ports.backend(agent.tab.backend).readScreen(agent.tab, Math.min(MAX_SCREEN_LINES, input.lines + SCREEN_HEIGHT_SLACK))
    return {agent, screen: readableTail(raw, input.lines)}
  },
})

const MAX_SCREEN_LINES = 10_000
/** A full-screen program (Claude Code) keeps its prompt at the bottom and dozens of blank rows above it. */
const SCREEN_HEIGHT_SLACK = 200

/** The last `lines` lines once trailing blank lines are dropped and each run of blank lines is one. */
export function readableTail(screen: string, lines: number): string {
  const kept: string[] = []
  for (const line of screen.replace(/\s+$/u, '').split('\n')) {
    const blank = line.trim() === ''
    if (!(blank && kept.length > 0 && kept.at(-1)?.trim() === '')) kept.push(blank ? '' : line.trimEnd())
  }
  return kept.slice(Math.max(0, kept.length - lines)).join('\n')
}

export const focusAgent = defineOperation({
  name: 'focus_agent',
  scope: (input) => ({agents: [input.agent]}),
  title: "Focus agent's tab",
  description: "Bring an agent's tab to the front (iTerm2), or switch the attached tmux client to it.",
  // Not LOW: it changes what the user's terminal shows, and LOW means read-only.
  level: 'MEDIUM',
  annotations: {readOnly: false, destructive: false, idempotent: true},
  mcp: true,
  input: z.object({
    agent: AgentRef,
    tmuxControlMode: z.boolean().default(false).describe('Build the attach line with tmux -CC (iTerm2 then shows the tmux windows as native tabs)'),
  }),
  output: z.object({
    agent: Agent,
    focused: z.boolean(),
    hint: z.string().nullable().describe('What to run to see the tab, when it could not be focused'),
    attach: z.array(z.string()).nullable().default(null).describe('The argv that attaches a terminal to the tab (tmux; through ssh -t for another host), or null (iTerm2 tabs are focused instead)'),
  }),
  async handler(input, {deps}) {
    const agent = findAgent(await reconciledState(deps), input.agent)
    if (!agent.tab || isTabless(agent)) {
      throw new CcmcpError('AGENT_NOT_RUNNING', `${agentKey(agent)} has no tab (status: ${agent.status}).`, {hint: newConversationHint(agentKey(agent))})
    }
    const {attach, ...result} = await deps.ports.backend(agent.tab.backend).focusTab(agent.tab)
    const line = attach && input.tmuxControlMode ? withControlMode(attach) : attach
    return {agent, ...result, ...(line && result.hint ? {hint: line.map(shellQuote).join(' ')} : {}), attach: line ?? null}
  },
})

export const deleteAgent = defineOperation({
  name: 'delete_agent',
  scope: (input) => ({agents: [input.agent]}),
  title: 'Delete agent',
  description: "Close an agent's tab and forget the agent; its git worktree is removed too (refused while it holds uncommitted or unmerged work, unless force).",
  level: 'HIGH',
  annotations: {readOnly: false, destructive: true, idempotent: false},
  mcp: true,
  input: z.object({agent: AgentRef, force: ForceFlag}),
  output: z.object({deleted: z.object({session: Name, agent: Name})}),
  async handler(input, {deps}) {
    const state = await deps.ports.state.read()
    const agent = findAgent(state, input.agent)
    const session = findSession(state, agent.session)
    await assertWorktreesRemovable(deps, session, [agent], input.force)
    await closeAgentTab(deps, agent)
    if (agent.worktree) await removeAgentWorktree(deps, session, agent.worktree, input.force)
    const remaining = await deps.ports.state.update((state) => {
      const value = {...state, agents: state.agents.filter((candidate) => agentKey(candidate) !== agentKey(agent))}
      return {value, result: value}
    })
    await removeAgentFiles(deps, agent)
    await sweepSessions(deps, remaining, [agent.session])
    return {deleted: {session: agent.session, agent: agent.name}}
  },
})

function newConversationHint(key: string) {
  return {cli: `Start it again with \`ccmcp agent new-conversation ${key}\`.`, mcp: `Start it again with start_new_agent_conversation (agent "${key}").`}
}
