import {CcmcpCommand} from '../../cli/base-command.js'
import {argFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

export default class AgentFocus extends CcmcpCommand {
  static override summary = "Bring an agent's tab to the front (or print how to attach to it)"
  static override args = {agent: argFrom(operations.focus_agent.input, 'agent')}

  async run() {
    const {args} = await this.parse(AgentFocus)
    const result = await this.runOperation('focus_agent', {agent: args.agent})
    this.log(result.focused ? `Focused ${result.agent.session}/${result.agent.name}` : `No terminal is attached. To see it, run:\n  ${result.hint}`)
    return result
  }
}
