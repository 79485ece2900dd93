import {Args, Flags} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {agentSummary} from '../../cli/format.js'

export default class AgentRestart extends CcmcpCommand {
  static override summary = 'Relaunch a lost or exited agent, continuing the same conversation'
  static override args = {agent: Args.string({required: true, description: 'session/Agent_N, or Agent_N when unambiguous'})}
  static override flags = {wait: Flags.boolean({default: true, allowNo: true, description: 'Return once a claude agent is ready for input'})}

  async run() {
    const {args, flags} = await this.parse(AgentRestart)
    const result = await this.runOperation('restart_agent', {agent: args.agent, wait: flags.wait})
    this.log(`Restarted ${agentSummary(result.agent)}`)
    return result
  }
}
