import {CcmcpCommand} from '../../cli/base-command.js'
import {agentSummary} from '../../cli/format.js'
import {argFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

export default class AgentClear extends CcmcpCommand {
  static override summary = "Close an agent's tab, keeping the agent as closed"
  static override args = {agent: argFrom(operations.clear_agent_conversation.input, 'agent')}

  async run() {
    const {args} = await this.parse(AgentClear)
    const result = await this.runOperation('clear_agent_conversation', {agent: args.agent})
    this.log(`Closed ${agentSummary(result.agent, this.color)}`)
    return result
  }
}
