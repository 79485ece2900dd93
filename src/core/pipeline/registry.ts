/** Every operation, by name. The surfaces (CLI, MCP, TUI) are built from this list. */
import {answerAgent} from '../ops/answer.js'
import {createAgent, deleteAgent, focusAgent, listAgents, readAgentScreen} from '../ops/agents.js'
import {getConfig, setConfig, unsetConfig} from '../ops/config.js'
import {clearAgentConversation, sendMessageToAgent, startNewAgentConversation} from '../ops/conversations.js'
import {doctor} from '../ops/doctor.js'
import {installClaudeCode, installClaudeDesktop} from '../ops/install.js'
import {recoverSession, restartAgent, waitForAgent} from '../ops/lifecycle.js'
import {getOverview} from '../ops/overview.js'
import {createSession, deleteSession, getSessionStatus, listSessions} from '../ops/sessions.js'
import {trustSession} from '../ops/trust.js'

export const operations = {
  create_session: createSession,
  list_sessions: listSessions,
  get_session_status: getSessionStatus,
  delete_session: deleteSession,
  trust_session: trustSession,
  create_agent: createAgent,
  list_agents: listAgents,
  read_agent_screen: readAgentScreen,
  focus_agent: focusAgent,
  delete_agent: deleteAgent,
  send_message_to_agent: sendMessageToAgent,
  answer_agent: answerAgent,
  clear_agent_conversation: clearAgentConversation,
  start_new_agent_conversation: startNewAgentConversation,
  wait_for_agent: waitForAgent,
  restart_agent: restartAgent,
  recover_session: recoverSession,
  get_overview: getOverview,
  get_config: getConfig,
  set_config: setConfig,
  unset_config: unsetConfig,
  doctor,
  install_claude_desktop: installClaudeDesktop,
  install_claude_code: installClaudeCode,
} as const

export type Operations = typeof operations
export type OperationName = keyof Operations
