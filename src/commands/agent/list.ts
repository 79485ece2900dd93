import {CcmcpCommand} from '../../cli/base-command.js'
import {agentListLines} from '../../cli/command-views.js'
import {flagFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

export default class AgentList extends CcmcpCommand {
  static override summary = 'List agents and their live status'
  static override flags = {session: flagFrom(operations.list_agents.input, 'session', {char: 's'})}

  async run() {
    const {flags} = await this.parse(AgentList)
    const result = await this.runOperation('list_agents', {session: flags.session})
    for (const line of agentListLines(result, flags.session, this.color)) this.log(line)
    return result
  }
}
