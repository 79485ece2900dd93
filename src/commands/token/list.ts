import {CcmcpCommand} from '../../cli/base-command.js'
import {table} from '../../present/status.js'

export default class TokenList extends CcmcpCommand {
  static override summary = 'List HTTP client tokens (never the tokens themselves)'

  async run() {
    const result = await this.runOperation('list_tokens', {})
    this.log(result.tokens.length === 0 ? 'No tokens.' : table(['NAME', 'ID', 'LEVEL', 'SESSIONS', 'CREATED'], result.tokens.map((token) => [token.name, token.id, token.level, token.sessions?.join(', ') ?? '(all)', token.createdAt])))
    return result
  }
}
