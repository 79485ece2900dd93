import {Flags} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {agentsTable} from '../../cli/format.js'

export default class AgentList extends CcmcpCommand {
  static override summary = 'List agents and their live status'
  static override flags = {session: Flags.string({char: 's', description: 'Only this session'})}

  async run() {
    const {flags} = await this.parse(AgentList)
    const result = await this.runOperation('list_agents', {session: flags.session})
    this.log(agentsTable(result.agents, {showSession: flags.session === undefined}))
    return result
  }
}
