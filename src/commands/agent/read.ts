import {Args, Flags} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'

export default class AgentRead extends CcmcpCommand {
  static override summary = "Print the last lines of an agent's screen"
  static override args = {agent: Args.string({required: true, description: 'session/Agent_N, or Agent_N when unambiguous'})}
  static override flags = {lines: Flags.integer({char: 'l', min: 1, max: 10_000, default: 50, description: 'Lines from the bottom'})}

  async run() {
    const {args, flags} = await this.parse(AgentRead)
    const result = await this.runOperation('read_agent_screen', {agent: args.agent, lines: flags.lines})
    this.log(result.screen)
    return result
  }
}
