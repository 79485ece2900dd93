import {CcmcpCommand} from '../../cli/base-command.js'
import {idArg, positional, sessionArg, taskLine} from '../../cli/task-args.js'

export default class TaskReopen extends CcmcpCommand {
  static override summary = 'Open a done or cancelled task again'
  static override examples = ['<%= config.bin %> task reopen api T-1']
  static override args = {session: sessionArg, id: idArg}

  async run() {
    const {args} = await this.parse(TaskReopen)
    const {session, id} = positional('reopen', ['session', 'id'], [args.session, args.id])
    const result = await this.runOperation('reopen_task', {session, id})
    this.log(taskLine(result.task))
    return result
  }
}
