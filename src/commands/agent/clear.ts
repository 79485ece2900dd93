import {Args} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {agentSummary} from '../../cli/format.js'

export default class AgentClear extends CcmcpCommand {
  static override summary = "Close an agent's tab, keeping the agent as closed"
  static override args = {agent: Args.string({required: true, description: 'session/Agent_N, or Agent_N when unambiguous'})}

  async run() {
    const {args} = await this.parse(AgentClear)
    const result = await this.runOperation('clear_agent_conversation', {agent: args.agent})
    this.log(`Closed ${agentSummary(result.agent)}`)
    return result
  }
}
