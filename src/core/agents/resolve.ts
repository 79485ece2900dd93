/** Finding sessions and agents by what a user types, with errors that say what exists. */
import {type Agent, type SessionRecord, type State} from '../domain/state.js'
import {CcmcpError} from '../domain/errors.js'

export function findSession(state: State, name: string): SessionRecord {
  const session = state.sessions.find((candidate) => candidate.name === name)
  if (!session) {
    const known = state.sessions.map((candidate) => candidate.name)
    throw new CcmcpError('NOT_FOUND', `No session named "${name}".`, {
      hint: known.length > 0 ? `Known sessions: ${known.join(', ')}.` : {cli: 'Create one with `ccmcp session create <name> --root <dir>`.', mcp: 'Create one with create_session (name, root).'},
    })
  }
  return session
}

/** `session/Agent_N`, or a bare `Agent_N` when exactly one session has it. */
export function findAgent(state: State, ref: string): Agent {
  const slash = ref.indexOf('/')
  if (slash >= 0) {
    const sessionName = ref.slice(0, slash)
    const agentName = ref.slice(slash + 1)
    findSession(state, sessionName)
    const agent = state.agents.find((candidate) => candidate.session === sessionName && candidate.name === agentName)
    if (!agent) {
      const known = state.agents.filter((candidate) => candidate.session === sessionName).map((candidate) => candidate.name)
      throw new CcmcpError('NOT_FOUND', `Session "${sessionName}" has no agent named "${agentName}".`, {
        hint: known.length > 0 ? `Its agents: ${known.join(', ')}.` : {cli: `Add one with \`ccmcp agent create ${sessionName}\`.`, mcp: `Add one with create_agent (session "${sessionName}").`},
      })
    }
    return agent
  }
  const matches = state.agents.filter((candidate) => candidate.name === ref)
  if (matches.length === 1) return matches[0] as Agent
  if (matches.length === 0) {
    throw new CcmcpError('NOT_FOUND', `No agent named "${ref}".`, {
      hint: {cli: 'List agents with `ccmcp agent list`; refer to one as session/Agent_N.', mcp: 'List agents with list_agents; refer to one as session/Agent_N.'},
    })
  }
  const qualified = matches.map((candidate) => `${candidate.session}/${candidate.name}`)
  throw new CcmcpError('INVALID_INPUT', `"${ref}" is ambiguous: ${qualified.join(', ')}.`, {hint: `Name the session too, e.g. ${qualified[0]}.`})
}
