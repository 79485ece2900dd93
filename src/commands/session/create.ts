import {CcmcpCommand} from '../../cli/base-command.js'
import {limitFlags} from '../../cli/limit-flags.js'
import {argFrom, flagFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

const input = operations.create_session.input

export default class SessionCreate extends CcmcpCommand {
  static override summary = 'Create a session tied to a codebase root'
  static override examples = ['<%= config.bin %> session create api --root ~/src/api', '<%= config.bin %> session create web --json']
  static override args = {name: argFrom(input, 'name')}
  static override flags = {
    root: flagFrom(input, 'root', {char: 'r', default: '.'}),
    backend: flagFrom(input, 'backend'),
    'max-sessions': limitFlags['max-sessions'],
    trust: flagFrom(input, 'trust'),
    protocol: flagFrom(input, 'protocol'),
    todo: flagFrom(input, 'todo'),
  }

  async run() {
    const {args, flags} = await this.parse(SessionCreate)
    const result = await this.runOperation('create_session', {name: args.name, root: flags.root ?? '.', backend: flags.backend, trust: flags.trust, protocol: flags.protocol, todo: flags.todo}, {maxSessions: flags['max-sessions']})
    this.log(`Created session ${result.session.name} (${result.session.backend}) at ${result.session.root}`)
    if (result.trust) this.log(result.trust.changed ? `Trusted ${result.session.root} in ${result.trust.file}${result.trust.backup ? ` (backup: ${result.trust.backup})` : ''}` : `${result.session.root} was already trusted in ${result.trust.file}`)
    return result
  }
}
