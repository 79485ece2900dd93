import {Args} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'

export default class AgentSend extends CcmcpCommand {
  static override summary = "Type a message into an agent's prompt and submit it"
  static override description = 'The text arrives verbatim: quotes, $(...), ;|&, newlines and any Unicode are data, never run. Use "-" to read it from stdin.'
  static override examples = ['<%= config.bin %> agent send api/Agent_1 "Run the tests"', 'git diff | <%= config.bin %> agent send Agent_2 -']
  static override args = {
    agent: Args.string({required: true, description: 'session/Agent_N, or Agent_N when unambiguous'}),
    message: Args.string({required: true, description: 'The message, or "-" to read stdin'}),
  }

  async run() {
    const {args} = await this.parse(AgentSend)
    const message = args.message === '-' ? await readStdin() : args.message
    const result = await this.runOperation('send_message_to_agent', {agent: args.agent, message})
    this.log(`${result.delivery}: ${result.agent.session}/${result.agent.name}`)
    return result
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').replace(/\n$/, '')
}
