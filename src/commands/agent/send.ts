import {Args, Flags} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'

export default class AgentSend extends CcmcpCommand {
  static override summary = "Type a message into an agent's prompt and submit it"
  static override description = `The text arrives verbatim: quotes, $(...), ;|&, newlines and any Unicode are data, never run. Use "-" to read it from stdin, and "--" before a message that starts with a dash.

A claude agent confirms it accepted the message (its UserPromptSubmit hook); the result is delivered, queued (the agent is not ready yet; it gets the message when it is) or failed (exit 9). Claude agents see a "[from operator]" (or "[from Agent_N]") header unless --raw; a slash command (/clear, /compact, /cost, /exit) goes alone and is reported sent. With --wait, a turn that stops to ask for a permission exits 15.`
  static override examples = [
    '<%= config.bin %> agent send api/Agent_1 "Run the tests"',
    'git diff | <%= config.bin %> agent send Agent_2 -',
    '<%= config.bin %> agent send Agent_1 --wait --json "What is 2+2?"',
  ]
  static override args = {
    agent: Args.string({required: true, description: 'session/Agent_N, or Agent_N when unambiguous'}),
    message: Args.string({required: true, description: 'The message, or "-" to read stdin'}),
  }
  static override flags = {
    raw: Flags.boolean({description: 'Send the text alone, without the "[from …]" header'}),
    wait: Flags.boolean({char: 'w', description: "Wait until the agent's turn ends and print its reply"}),
    timeout: Flags.integer({min: 1, default: 600, description: 'With --wait: seconds to wait for the turn to end'}),
  }

  async run() {
    const {args, flags} = await this.parse(AgentSend)
    const message = args.message === '-' ? await readStdin() : args.message
    const result = await this.runOperation('send_message_to_agent', {agent: args.agent, message, raw: flags.raw, wait: flags.wait, timeoutSeconds: flags.timeout})
    this.log(flags.wait ? (result.reply ?? `(${result.agent.status}${result.agent.waitingFor ? `: ${result.agent.waitingFor}` : ''})`) : `${result.delivery}: ${result.agent.session}/${result.agent.name}`)
    return result
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').replace(/\n$/, '')
}
