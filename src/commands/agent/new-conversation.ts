import {Args, Flags} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {agentSummary} from '../../cli/format.js'

export default class AgentNewConversation extends CcmcpCommand {
  static override summary = "Open a fresh tab with a new conversation for an agent"
  static override args = {agent: Args.string({required: true, description: 'session/Agent_N, or Agent_N when unambiguous'})}
  static override flags = {wait: Flags.boolean({default: true, allowNo: true, description: 'Return once a claude agent is ready for input'})}

  async run() {
    const {args, flags} = await this.parse(AgentNewConversation)
    const result = await this.runOperation('start_new_agent_conversation', {agent: args.agent, wait: flags.wait})
    this.log(`Started ${agentSummary(result.agent)}`)
    return result
  }
}
