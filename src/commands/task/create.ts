import {Args, Flags} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {positional, sessionArg, taskLine} from '../../cli/task-args.js'

export default class TaskCreate extends CcmcpCommand {
  static override summary = "Add a task to a session's board"
  static override description = 'The task appears in TODO.md at the session root. With --blocked-by it stays blocked until those tasks are done.'
  static override examples = [
    '<%= config.bin %> task create api "Write the parser" --body "in src/parser.ts"',
    '<%= config.bin %> task create api "Test the parser" --blocked-by T-1',
    'cat spec.md | <%= config.bin %> task create api "Implement the spec" --body -',
  ]
  static override args = {session: sessionArg, title: Args.string({description: 'One line saying what is to be done'})}
  static override flags = {
    body: Flags.string({char: 'b', description: 'Details (or "-" to read them from stdin)'}),
    'blocked-by': Flags.string({description: 'A task that must be done first (repeatable)', multiple: true}),
  }

  async run() {
    const {args, flags} = await this.parse(TaskCreate)
    const {session, title} = positional('create', ['session', 'title'], [args.session, args.title])
    const body = flags.body === undefined ? undefined : await this.messageOrStdin(flags.body)
    const result = await this.runOperation('create_task', {session, title, body, blockedBy: flags['blocked-by'] ?? []})
    this.log(`Created ${taskLine(result.task)}`)
    return result
  }
}
