import {Args, Flags} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'

export default class SessionTrust extends CcmcpCommand {
  static override summary = "Trust a session's root in Claude Code (only that root), and restart its agents stuck at the trust dialog"
  static override args = {name: Args.string({required: true, description: 'Session name'})}
  static override flags = {wait: Flags.boolean({default: true, allowNo: true, description: 'Return once restarted agents are ready'})}

  async run() {
    const {args, flags} = await this.parse(SessionTrust)
    const result = await this.runOperation('trust_session', {name: args.name, wait: flags.wait})
    this.log(`${result.trust.changed ? 'Trusted' : 'Already trusted'}: ${result.session.root} (in ${result.trust.file}${result.trust.backup ? `; backup ${result.trust.backup}` : ''})`)
    this.log(`Restarted past the trust dialog: ${result.restarted.join(', ') || 'none'}`)
    return result
  }
}
