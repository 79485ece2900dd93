import {Args, Flags} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {agentSummary} from '../../cli/format.js'

export default class AgentWait extends CcmcpCommand {
  static override summary = 'Wait until an agent is idle, waiting for input, or exited'
  static override description = 'Exits 0 when the status is reached; 13 if the turn failed while waiting for idle; 15 if it stopped to ask for a permission instead; 11 if the agent ended; 12 on timeout. A program that reports nothing can only be waited for until exited.'
  static override args = {agent: Args.string({required: true, description: 'session/Agent_N, or Agent_N when unambiguous'})}
  static override flags = {
    until: Flags.option({options: ['idle', 'waiting', 'exited'] as const, default: 'idle' as const, description: 'The status to wait for'})(),
    timeout: Flags.integer({min: 1, default: 600, description: 'Seconds to wait'}),
  }

  async run() {
    const {args, flags} = await this.parse(AgentWait)
    const result = await this.runOperation('wait_for_agent', {agent: args.agent, until: flags.until, timeoutSeconds: flags.timeout})
    this.log(agentSummary(result.agent))
    return result
  }
}
