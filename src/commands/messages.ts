import {Flags} from '@oclif/core'

import {CcmcpCommand} from '../cli/base-command.js'
import {argFrom} from '../cli/schema-flags.js'
import {operations} from '../core/pipeline/registry.js'
import {oneLine} from '../present/text.js'

const input = operations.list_messages.input

export default class Messages extends CcmcpCommand {
  static override summary = "Show an agent's inbox and outbox with delivery states"
  static override description = 'States: sending, queued (waits for the agent to be ready), delivered, sent (typed into a program that reports nothing), failed, refused (to another session; never sent). Inside an agent the agent defaults to itself.'
  static override examples = ['<%= config.bin %> messages api/Agent_2', '<%= config.bin %> messages api/Agent_2 --json']
  static override args = {agent: argFrom(input, 'agent')}
  static override flags = {limit: Flags.integer({min: 1, max: 500, default: 50, description: 'At most this many of each, the newest'})}

  async run() {
    const {args, flags} = await this.parse(Messages)
    const result = await this.runOperation('list_messages', {agent: args.agent, limit: flags.limit})
    const line = (message: (typeof result.inbox)[number], who: string) => `  ${message.createdAt}  ${message.state.padEnd(9)} ${who}: ${oneLine(message.text)}${message.error ? `  (${oneLine(message.error)})` : ''}`
    this.log(`${result.agent} inbox:`)
    this.log(result.inbox.length > 0 ? result.inbox.map((message) => line(message, `from ${message.from}`)).join('\n') : '  (none)')
    this.log('outbox:')
    this.log(result.outbox.length > 0 ? result.outbox.map((message) => line(message, `to ${message.to}`)).join('\n') : '  (none)')
    return result
  }
}
