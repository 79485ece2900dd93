import {CcmcpCommand} from '../../cli/base-command.js'
import {agentsTable} from '../../cli/format.js'
import {flagFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

export default class AgentList extends CcmcpCommand {
  static override summary = 'List agents and their live status'
  static override flags = {session: flagFrom(operations.list_agents.input, 'session', {char: 's'})}

  async run() {
    const {flags} = await this.parse(AgentList)
    const result = await this.runOperation('list_agents', {session: flags.session})
    this.log(agentsTable(result.agents, {showSession: flags.session === undefined, color: this.color}))
    return result
  }
}
