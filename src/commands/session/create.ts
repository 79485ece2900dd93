import {Flags} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {limitFlags} from '../../cli/limit-flags.js'
import {argFrom, flagFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'
import {sandboxLine} from '../../cli/sandbox-line.js'

const input = operations.create_session.input

export default class SessionCreate extends CcmcpCommand {
  static override summary = 'Create a session tied to a codebase root'
  static override examples = [
    '<%= config.bin %> session create api --root ~/src/api',
    '<%= config.bin %> session create web --json',
    '<%= config.bin %> session create build --host build-box --root /home/me/src/api',
    '<%= config.bin %> session create api --worktrees --setup "npm ci"',
    '<%= config.bin %> session create web --sandbox-allow-write ~/.npm --sandbox-allow-domain registry.npmjs.org',
    '<%= config.bin %> session create legacy --no-sandbox',
    `<%= config.bin %> session create api --auto-allow 'Bash(npm test*)' --auto-deny 'Bash(git push*)'`,
  ]
  static override args = {name: argFrom(input, 'name')}
  static override flags = {
    root: flagFrom(input, 'root', {char: 'r', default: '.'}),
    backend: flagFrom(input, 'backend'),
    'max-sessions': limitFlags['max-sessions'],
    trust: flagFrom(input, 'trust'),
    host: flagFrom(input, 'host'),
    'remote-ccmcp': flagFrom(input, 'remoteCcmcp'),
    protocol: flagFrom(input, 'protocol'),
    todo: flagFrom(input, 'todo'),
    worktrees: flagFrom(input, 'worktrees'),
    setup: flagFrom(input, 'setup'),
    sandbox: flagFrom(input, 'sandbox', {description: "Confine the session's claude agents to the root with Claude Code's sandbox; --no-sandbox runs them unconfined"}),
    'sandbox-allow-read': Flags.string({multiple: true, description: 'Also let the agents read this directory (repeatable)'}),
    'sandbox-allow-write': Flags.string({multiple: true, description: 'Also let the agents write (and read) this directory, e.g. a cache such as ~/.npm (repeatable)'}),
    'sandbox-allow-domain': Flags.string({multiple: true, description: "Let the agents' shell commands reach this network domain, e.g. registry.npmjs.org or *.example.com (repeatable)"}),
    'agents-may-create-agents': flagFrom(input, 'agentsMayCreateAgents'),
    'auto-allow': Flags.string({multiple: true, description: 'Allow tool calls matching this Claude Code permission rule without asking, e.g. "Bash(npm test*)" (repeatable)'}),
    'auto-deny': Flags.string({multiple: true, description: 'Deny tool calls matching this rule without asking (repeatable; deny wins)'}),
  }

  async run() {
    const {args, flags} = await this.parse(SessionCreate)
    const result = await this.runOperation(
      'create_session',
      {
        name: args.name,
        root: flags.root ?? '.',
        backend: flags.backend,
        trust: flags.trust,
        todo: flags.todo,
        worktrees: flags.worktrees,
        setup: flags.setup,
        host: flags.host,
        remoteCcmcp: flags['remote-ccmcp'],
        agentsMayCreateAgents: flags['agents-may-create-agents'],
        protocol: flags.protocol,
        autoAllow: flags['auto-allow'],
        autoDeny: flags['auto-deny'],
        sandbox: flags.sandbox,
        sandboxAllowRead: flags['sandbox-allow-read'] ?? [],
        sandboxAllowWrite: flags['sandbox-allow-write'] ?? [],
        sandboxAllowDomains: flags['sandbox-allow-domain'] ?? [],
      },
      {maxSessions: flags['max-sessions']},
    )
    this.log(`Created session ${result.session.name} (${result.session.backend}) at ${result.session.root}${result.session.host ? ` on ${result.session.host}` : ''}; ${sandboxLine(result.session)}`)
    if (result.trust) this.log(result.trust.changed ? `Trusted ${result.session.root} in ${result.trust.file}${result.trust.backup ? ` (backup: ${result.trust.backup})` : ''}` : `${result.session.root} was already trusted in ${result.trust.file}`)
    return result
  }
}
