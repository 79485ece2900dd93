import {CcmcpCommand} from '../../cli/base-command.js'
import {agentSummary} from '../../cli/format.js'
import {argFrom, flagFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

const input = operations.restart_agent.input

export default class AgentRestart extends CcmcpCommand {
  static override summary = 'Relaunch a lost or exited agent, continuing the same conversation'
  static override args = {agent: argFrom(input, 'agent')}
  static override flags = {wait: flagFrom(input, 'wait')}

  async run() {
    const {args, flags} = await this.parse(AgentRestart)
    const result = await this.runOperation('restart_agent', {agent: args.agent, wait: flags.wait})
    this.log(`Restarted ${agentSummary(result.agent, this.color)}`)
    return result
  }
}
