import {Args} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {idArg, positional, sessionArg, taskLine} from '../../cli/task-args.js'

export default class TaskNote extends CcmcpCommand {
  static override summary = 'Add a progress note to a task (renews the holder\'s claim)'
  static override examples = ['<%= config.bin %> task note api T-1 "parser done, tests next"', 'git diff --stat | <%= config.bin %> task note T-1 -']
  static override args = {session: sessionArg, id: idArg, text: Args.string({description: 'The note, or "-" to read stdin'})}

  async run() {
    const {args} = await this.parse(TaskNote)
    const {session, id, text} = positional('note', ['session', 'id', 'text'], [args.session, args.id, args.text])
    const result = await this.runOperation('update_task', {session, id, note: await this.messageOrStdin(text)})
    this.log(`Noted on ${taskLine(result.task)}`)
    return result
  }
}
