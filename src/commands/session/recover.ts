import {CcmcpCommand} from '../../cli/base-command.js'
import {agentsTable} from '../../cli/format.js'
import {argFrom, flagFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

export default class SessionRecover extends CcmcpCommand {
  static override summary = 'Bring back every lost agent of a session (after the terminal died), each in its same conversation'
  static override args = {name: argFrom(operations.recover_session.input, 'name')}
  static override flags = {wait: flagFrom(operations.recover_session.input, 'wait')}

  async run() {
    const {args, flags} = await this.parse(SessionRecover)
    const result = await this.runOperation('recover_session', {name: args.name, wait: flags.wait})
    this.log(`Restarted: ${result.restarted.join(', ') || 'none'}; adopted live tabs: ${result.adopted.join(', ') || 'none'}\n`)
    this.log(agentsTable(result.agents, {showSession: false, color: this.color}))
    return result
  }
}
