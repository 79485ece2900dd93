import {CcmcpCommand} from '../../cli/base-command.js'
import {agentText} from '../../cli/format.js'
import {argFrom, flagFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

const input = operations.read_agent_screen.input

export default class AgentRead extends CcmcpCommand {
  static override summary = "Print the last lines of an agent's screen"
  static override args = {agent: argFrom(input, 'agent')}
  static override flags = {lines: flagFrom(input, 'lines', {char: 'l'})}

  async run() {
    const {args, flags} = await this.parse(AgentRead)
    const result = await this.runOperation('read_agent_screen', {agent: args.agent, lines: flags.lines})
    this.log(agentText(result.screen))
    return result
  }
}
