import {Args, Flags} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {agentsTable} from '../../cli/format.js'

export default class SessionRecover extends CcmcpCommand {
  static override summary = 'Bring back every lost agent of a session (after the terminal died), each in its same conversation'
  static override args = {name: Args.string({required: true, description: 'Session name'})}
  static override flags = {wait: Flags.boolean({default: true, allowNo: true, description: 'Return once relaunched claude agents are ready'})}

  async run() {
    const {args, flags} = await this.parse(SessionRecover)
    const result = await this.runOperation('recover_session', {name: args.name, wait: flags.wait})
    this.log(`Restarted: ${result.restarted.join(', ') || 'none'}; adopted live tabs: ${result.adopted.join(', ') || 'none'}\n`)
    this.log(agentsTable(result.agents, {showSession: false}))
    return result
  }
}
