import {CcmcpCommand} from '../../cli/base-command.js'
import {agentText} from '../../cli/format.js'
import {argFrom, flagFrom} from '../../cli/schema-flags.js'
import {exitCodeText} from '../../cli/exit-codes.js'
import {operations} from '../../core/pipeline/registry.js'
import {oneLine} from '../../present/text.js'

const input = operations.send_message_to_agent.input

export default class AgentSend extends CcmcpCommand {
  static override summary = "Type a message into an agent's prompt and submit it"
  static override description = `The text arrives verbatim: quotes, $(...), ;|&, newlines and any Unicode are data, never run. Use "-" to read it from stdin, and "--" before a message that starts with a dash.

A claude agent confirms it accepted the message (its UserPromptSubmit hook); the result is delivered, queued (the agent is not ready yet; it gets the message when it is) or failed (${exitCodeText('DELIVERY_FAILED')}). Claude agents see a "[from operator]" (or "[from Agent_N]") header unless --raw; a slash command (/clear, /compact, /cost, /exit) goes alone and is reported sent. With --wait, a turn that stops to ask for a permission ends with ${exitCodeText('AGENT_WAITING')}.`
  static override examples = [
    '<%= config.bin %> agent send api/Agent_1 "Run the tests"',
    'git diff | <%= config.bin %> agent send Agent_2 -',
    '<%= config.bin %> agent send Agent_1 --wait --json "What is 2+2?"',
  ]
  static override args = {
    agent: argFrom(input, 'agent'),
    message: argFrom(input, 'message', {description: 'The message, or "-" to read stdin'}),
  }
  static override flags = {
    raw: flagFrom(input, 'raw'),
    wait: flagFrom(input, 'wait', {char: 'w'}),
    timeout: flagFrom(input, 'timeoutSeconds', {description: 'With --wait: seconds to wait for the turn to end'}),
  }

  async run() {
    const {args, flags} = await this.parse(AgentSend)
    const message = await this.messageOrStdin(args.message)
    const result = await this.runOperation('send_message_to_agent', {agent: args.agent, message, raw: flags.raw, wait: flags.wait, timeoutSeconds: flags.timeout})
    const {agent} = result
    this.log(flags.wait ? (result.reply === null ? `(${agent.status}${agent.waitingFor ? `: ${oneLine(agent.waitingFor)}` : ''})` : agentText(result.reply)) : `${result.delivery}: ${agent.session}/${agent.name}`)
    return result
  }
}
