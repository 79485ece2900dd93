import {Flags} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {flagFrom} from '../../cli/schema-flags.js'
import {SECURITY_LEVELS} from '../../core/pipeline/operation.js'
import {operations} from '../../core/pipeline/registry.js'

const input = operations.create_token.input

export default class TokenCreate extends CcmcpCommand {
  static override summary = 'Create a bearer token for one HTTP client (printed once, on stdout)'
  static override examples = [
    '<%= config.bin %> token create --level MEDIUM --name ci',
    '<%= config.bin %> token create --level HIGH --session api --session web',
    'TOKEN=$(<%= config.bin %> token create --level LOW)',
  ]
  static override flags = {
    level: Flags.option({options: SECURITY_LEVELS, required: true, description: 'Security level of the client (LOW reads, MEDIUM starts and talks to agents, HIGH also deletes and runs programs)'})(),
    session: Flags.string({char: 's', multiple: true, description: 'Limit the token to this session (repeat for more; default: every session)'}),
    name: flagFrom(input, 'name', {char: 'n'}),
  }

  async run() {
    const {flags} = await this.parse(TokenCreate)
    const result = await this.runOperation('create_token', {level: flags.level, sessions: flags.session ?? [], name: flags.name})
    const scope = result.info.sessions ? `sessions ${result.info.sessions.join(', ')}` : 'every session'
    // The token alone on stdout, so it can be captured; what it is goes to stderr. It is never shown again.
    this.logToStderr(`Created token ${result.info.name} (id ${result.info.id}, ${result.info.level}, ${scope}). It is shown only now:`)
    this.log(result.token)
    return result
  }
}
