import {CcmcpCommand} from '../../cli/base-command.js'
import {agentSummary} from '../../cli/format.js'
import {argFrom, flagFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

const input = operations.start_new_agent_conversation.input

export default class AgentNewConversation extends CcmcpCommand {
  static override summary = 'Open a fresh tab with a new conversation for an agent'
  static override args = {agent: argFrom(input, 'agent')}
  static override flags = {wait: flagFrom(input, 'wait')}

  async run() {
    const {args, flags} = await this.parse(AgentNewConversation)
    const result = await this.runOperation('start_new_agent_conversation', {agent: args.agent, wait: flags.wait})
    this.log(`Started ${agentSummary(result.agent, this.color)}`)
    return result
  }
}
