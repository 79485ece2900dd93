import {Args} from '@oclif/core'

import {CcmcpCommand, yesFlag} from '../../cli/base-command.js'

export default class AgentDelete extends CcmcpCommand {
  static override summary = "Close an agent's tab and forget the agent"
  static override args = {agent: Args.string({required: true, description: 'session/Agent_N, or Agent_N when unambiguous'})}
  static override flags = {yes: yesFlag}

  async run() {
    const {args, flags} = await this.parse(AgentDelete)
    await this.confirm(`Delete agent ${args.agent} and close its tab?`, flags.yes)
    const result = await this.runOperation('delete_agent', {agent: args.agent})
    this.log(`Deleted ${result.deleted.session}/${result.deleted.agent}`)
    return result
  }
}
