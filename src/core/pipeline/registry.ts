/** Every operation, by name. The surfaces (CLI, MCP, TUI) are built from this list. */
import {answerAgent} from '../ops/answer.js'
import {createAgent, deleteAgent, focusAgent, listAgents, readAgentScreen} from '../ops/agents.js'
import {getConfig, setConfig, unsetConfig} from '../ops/config.js'
import {clearAgentConversation, sendMessageToAgent, startNewAgentConversation} from '../ops/conversations.js'
import {doctor} from '../ops/doctor.js'
import {auditShow, auditVerify} from '../ops/audit.js'
import {installClaudeCode, installClaudeDesktop} from '../ops/install.js'
import {broadcastMessage, listMessages} from '../ops/messages.js'
import {rotateKey} from '../ops/keys.js'
import {recoverSession, restartAgent, waitForAgent} from '../ops/lifecycle.js'
import {getOverview} from '../ops/overview.js'
import {createSession, deleteSession, getSessionStatus, listSessions} from '../ops/sessions.js'
import {trustSession} from '../ops/trust.js'
import {createTask, getTask, listTasks} from '../ops/tasks.js'
import {assignTask, claimTask, completeTask, releaseTask} from '../ops/tasks-claims.js'
import {cancelTask, reopenTask, updateTask} from '../ops/tasks-changes.js'
import {mergeAgent} from '../ops/worktrees.js'
import {createToken, listTokens, revokeToken} from '../ops/tokens.js'

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
  merge_agent: mergeAgent,
  send_message_to_agent: sendMessageToAgent,
  broadcast_message: broadcastMessage,
  list_messages: listMessages,
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
  create_task: createTask,
  list_tasks: listTasks,
  get_task: getTask,
  claim_task: claimTask,
  update_task: updateTask,
  complete_task: completeTask,
  release_task: releaseTask,
  reopen_task: reopenTask,
  cancel_task: cancelTask,
  assign_task: assignTask,
  create_token: createToken,
  list_tokens: listTokens,
  revoke_token: revokeToken,
  audit_verify: auditVerify,
  audit_show: auditShow,
  rotate_key: rotateKey,
} as const

export type Operations = typeof operations
export type OperationName = keyof Operations
