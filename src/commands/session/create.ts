import {Flags} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {limitFlags} from '../../cli/limit-flags.js'
import {argFrom, flagFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

const input = operations.create_session.input

export default class SessionCreate extends CcmcpCommand {
  static override summary = 'Create a session tied to a codebase root'
  static override examples = ['<%= config.bin %> session create api --root ~/src/api', '<%= config.bin %> session create web --json', `<%= config.bin %> session create api --auto-allow 'Bash(npm test*)' --auto-deny 'Bash(git push*)'`]
  static override args = {name: argFrom(input, 'name')}
  static override flags = {
    root: flagFrom(input, 'root', {char: 'r', default: '.'}),
    backend: flagFrom(input, 'backend'),
    'max-sessions': limitFlags['max-sessions'],
    trust: flagFrom(input, 'trust'),
    'auto-allow': Flags.string({multiple: true, description: 'Allow tool calls matching this Claude Code permission rule without asking, e.g. "Bash(npm test*)" (repeatable)'}),
    'auto-deny': Flags.string({multiple: true, description: 'Deny tool calls matching this rule without asking (repeatable; deny wins)'}),
  }

  async run() {
    const {args, flags} = await this.parse(SessionCreate)
    const result = await this.runOperation('create_session', {name: args.name, root: flags.root ?? '.', backend: flags.backend, trust: flags.trust, autoAllow: flags['auto-allow'], autoDeny: flags['auto-deny']}, {maxSessions: flags['max-sessions']})
    this.log(`Created session ${result.session.name} (${result.session.backend}) at ${result.session.root}`)
    if (result.trust) this.log(result.trust.changed ? `Trusted ${result.session.root} in ${result.trust.file}${result.trust.backup ? ` (backup: ${result.trust.backup})` : ''}` : `${result.session.root} was already trusted in ${result.trust.file}`)
    return result
  }
}
