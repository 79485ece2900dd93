/**
 * The protocol prompt: how the agents of a session work together, appended to each claude
 * agent's system prompt after its identity. Short and concrete; the tools it names are ccmcp's
 * MCP tools in the agent (launch-spec.ts agentMcpConfig), seen by the model as mcp__ccmcp__<name>.
 * A session may replace it with its own text or turn it off (session create --protocol).
 */
import type {SessionRecord} from '../domain/state.js'

export function defaultProtocol(session: Pick<SessionRecord, 'name' | 'root'>, agentName: string, peers: readonly string[]): string {
  const others = peers.length > 0 ? `Your peers at launch: ${peers.join(', ')} (list_agents shows who is there now).` : 'No other agent was there at launch (list_agents shows who is there now).'
  return [
    `How this session works (ccmcp tools, named mcp__ccmcp__*):`,
    `- You are ${agentName} in session "${session.name}"; the codebase root is ${session.root}. ${others}`,
    `- The session's work is on its task board (list_tasks; TODO.md at the root shows it). Take work ONLY by claiming a task: claim_task with an id, or with next: true for the first ready one.`,
    `- Keep your claimed task's notes current with update_task (what you did, what is left). Finish with complete_task and a short result saying what changed.`,
    `- Work you discover that is not your task: create_task for it instead of doing everything yourself.`,
    `- Hand-offs and questions go to a peer with send_message (to all: broadcast_message); their messages reach you as prompts starting with [from Agent_N]. list_messages shows what you sent and received.`,
    `- Never edit a file another agent's claimed task is about without messaging that agent first.`,
  ].join('\n')
}

/** The protocol text for this session's agents: its own (absent: ccmcp's default; "": none). */
export function protocolFor(session: Pick<SessionRecord, 'name' | 'root' | 'protocol'>, agentName: string, peers: readonly string[]): string {
  if (session.protocol === undefined) return defaultProtocol(session, agentName, peers)
  return session.protocol
}
