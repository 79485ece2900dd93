import {Args} from '@oclif/core'

import {CcmcpCommand} from '../cli/base-command.js'
import {argFrom} from '../cli/schema-flags.js'
import {operations} from '../core/pipeline/registry.js'

const input = operations.broadcast_message.input

export default class Broadcast extends CcmcpCommand {
  static override summary = 'Send one message to every agent of a session'
  static override description = `Each agent gets its own copy with its own delivery state: delivered at once, or queued until that agent is ready. Run inside an agent (its environment), it goes to every OTHER agent of that agent's own session, under its name ("[from Agent_N]"). Use "-" to read the message from stdin.`
  static override examples = ['<%= config.bin %> broadcast api "Stop and commit what you have"', 'cat plan.md | <%= config.bin %> broadcast api -']
  static override args = {
    session: Args.string({required: true, description: 'Session whose agents get it (inside an agent: its own)'}),
    message: argFrom(input, 'message', {description: 'The message, or "-" to read stdin'}),
  }

  async run() {
    const {args} = await this.parse(Broadcast)
    const message = await this.messageOrStdin(args.message)
    const result = await this.runOperation('broadcast_message', {session: args.session, message})
    for (const sent of result.messages) this.log(`${sent.delivery}: ${sent.to}${sent.error ? ` (${sent.error})` : ''}`)
    return result
  }
}
