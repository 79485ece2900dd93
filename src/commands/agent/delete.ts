import {CcmcpCommand, yesFlag} from '../../cli/base-command.js'
import {oneLine} from '../../present/text.js'
import {argFrom, flagFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

export default class AgentDelete extends CcmcpCommand {
  static override summary = "Close an agent's tab and forget the agent"
  static override args = {agent: argFrom(operations.delete_agent.input, 'agent')}
  static override flags = {yes: yesFlag, force: flagFrom(operations.delete_agent.input, 'force')}

  async run() {
    const {args, flags} = await this.parse(AgentDelete)
    await this.confirm(`Delete agent ${oneLine(args.agent)} and close its tab?`, flags.yes)
    const result = await this.runOperation('delete_agent', {agent: args.agent, force: flags.force})
    this.log(`Deleted ${result.deleted.session}/${result.deleted.agent}`)
    return result
  }
}
