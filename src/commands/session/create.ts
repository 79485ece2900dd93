import {Args, Flags} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'

export default class SessionCreate extends CcmcpCommand {
  static override summary = 'Create a session tied to a codebase root'
  static override examples = ['<%= config.bin %> session create api --root ~/src/api', '<%= config.bin %> session create web --json']
  static override args = {name: Args.string({required: true, description: 'Session name (letters, digits, ".", "_", "-")'})}
  static override flags = {
    root: Flags.string({char: 'r', description: 'Codebase root directory', default: '.'}),
    backend: Flags.option({options: ['tmux', 'iterm2'] as const, description: 'Terminal backend (default: CCMCP_BACKEND, config, then platform)'})(),
    'max-sessions': Flags.integer({min: 1, description: 'Most sessions at once (default: config maxSessions, 8)'}),
    trust: Flags.boolean({description: "Record workspace trust for exactly this root in Claude Code's config (~/.claude.json; a backup is kept)"}),
  }

  async run() {
    const {args, flags} = await this.parse(SessionCreate)
    const result = await this.runOperation('create_session', {name: args.name, root: flags.root, backend: flags.backend, trust: flags.trust}, {maxSessions: flags['max-sessions']})
    this.log(`Created session ${result.session.name} (${result.session.backend}) at ${result.session.root}`)
    if (result.trust) this.log(result.trust.changed ? `Trusted ${result.session.root} in ${result.trust.file}${result.trust.backup ? ` (backup: ${result.trust.backup})` : ''}` : `${result.session.root} was already trusted in ${result.trust.file}`)
    return result
  }
}
