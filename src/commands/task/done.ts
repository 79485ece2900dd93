import {Flags} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {idArg, positional, sessionArg, taskLine} from '../../cli/task-args.js'

export default class TaskDone extends CcmcpCommand {
  static override summary = 'Complete a task with a result (its holder or the operator)'
  static override examples = ['<%= config.bin %> task done api T-1 --result "parser in src/parser.ts, 12 tests"']
  static override args = {session: sessionArg, id: idArg}
  static override flags = {result: Flags.string({char: 'r', description: 'What was done (or "-" to read it from stdin)'})}

  async run() {
    const {args, flags} = await this.parse(TaskDone)
    const {session, id} = positional('done', ['session', 'id'], [args.session, args.id])
    const result = await this.runOperation('complete_task', {session, id, result: flags.result === undefined ? undefined : await this.messageOrStdin(flags.result)})
    this.log(`Done: ${taskLine(result.task)}`)
    return result
  }
}
