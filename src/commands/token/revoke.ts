import {CcmcpCommand} from '../../cli/base-command.js'
import {argFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

export default class TokenRevoke extends CcmcpCommand {
  static override summary = "Revoke an HTTP client token by name or id: its next request is refused"
  static override args = {token: argFrom(operations.revoke_token.input, 'token')}

  async run() {
    const {args} = await this.parse(TokenRevoke)
    const result = await this.runOperation('revoke_token', {token: args.token})
    this.log(`Revoked token ${result.revoked.name} (id ${result.revoked.id})`)
    return result
  }
}
