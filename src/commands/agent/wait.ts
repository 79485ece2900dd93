import {CcmcpCommand} from '../../cli/base-command.js'
import {exitCodeText} from '../../cli/exit-codes.js'
import {agentSummary} from '../../cli/format.js'
import {argFrom, flagFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

const input = operations.wait_for_agent.input

export default class AgentWait extends CcmcpCommand {
  static override summary = 'Wait until an agent is idle, waiting for input, or exited'
  static override description = `Exits 0 when the status is reached; ${exitCodeText('AGENT_ERROR')} if the turn failed while waiting for idle; ${exitCodeText('AGENT_WAITING')} if it stopped to ask for a permission instead; ${exitCodeText('AGENT_NOT_RUNNING')} if the agent ended; ${exitCodeText('TIMEOUT')} on timeout. A program that reports nothing can only be waited for until exited.`
  static override args = {agent: argFrom(input, 'agent')}
  static override flags = {
    until: flagFrom(input, 'until'),
    timeout: flagFrom(input, 'timeoutSeconds', {description: 'Seconds to wait'}),
  }

  async run() {
    const {args, flags} = await this.parse(AgentWait)
    const result = await this.runOperation('wait_for_agent', {agent: args.agent, until: flags.until, timeoutSeconds: flags.timeout})
    this.log(agentSummary(result.agent, this.color))
    return result
  }
}
