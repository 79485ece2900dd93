import {CcmcpCommand} from '../../cli/base-command.js'
import {idArg, positional, sessionArg, taskLine} from '../../cli/task-args.js'

export default class TaskCancel extends CcmcpCommand {
  static override summary = 'Cancel a task that is no longer wanted'
  static override examples = ['<%= config.bin %> task cancel api T-1']
  static override args = {session: sessionArg, id: idArg}

  async run() {
    const {args} = await this.parse(TaskCancel)
    const {session, id} = positional('cancel', ['session', 'id'], [args.session, args.id])
    const result = await this.runOperation('cancel_task', {session, id})
    this.log(taskLine(result.task))
    return result
  }
}
