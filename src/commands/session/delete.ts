import {CcmcpCommand, yesFlag} from '../../cli/base-command.js'
import {argFrom, flagFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

export default class SessionDelete extends CcmcpCommand {
  static override summary = "Delete a session: close every agent's tab and forget it"
  static override args = {name: argFrom(operations.delete_session.input, 'name')}
  static override flags = {yes: yesFlag, force: flagFrom(operations.delete_session.input, 'force')}

  async run() {
    const {args, flags} = await this.parse(SessionDelete)
    await this.confirm(`Delete session ${args.name} and close all its agents?`, flags.yes)
    const result = await this.runOperation('delete_session', {name: args.name, force: flags.force})
    this.log(`Deleted session ${result.deleted.session} (${result.deleted.agents.length} agents closed)`)
    return result
  }
}
