import {CcmcpCommand} from '../../cli/base-command.js'
import {idArg, positional, sessionArg, taskDetails} from '../../cli/task-args.js'

export default class TaskShow extends CcmcpCommand {
  static override summary = 'Show a task: body, notes, result and history'
  static override examples = ['<%= config.bin %> task show api T-1']
  static override args = {session: sessionArg, id: idArg}

  async run() {
    const {args} = await this.parse(TaskShow)
    const {session, id} = positional('show', ['session', 'id'], [args.session, args.id])
    const result = await this.runOperation('get_task', {session, id})
    this.log(taskDetails(result.task))
    return result
  }
}
