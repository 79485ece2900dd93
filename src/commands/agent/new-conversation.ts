import {Args} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {agentSummary} from '../../cli/format.js'

export default class AgentNewConversation extends CcmcpCommand {
  static override summary = "Open a fresh tab with a new conversation for an agent"
  static override args = {agent: Args.string({required: true, description: 'session/Agent_N, or Agent_N when unambiguous'})}

  async run() {
    const {args} = await this.parse(AgentNewConversation)
    const result = await this.runOperation('start_new_agent_conversation', {agent: args.agent})
    this.log(`Started ${agentSummary(result.agent)}`)
    return result
  }
}
