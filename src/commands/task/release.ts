import {CcmcpCommand} from '../../cli/base-command.js'
import {idArg, positional, sessionArg, taskLine} from '../../cli/task-args.js'

export default class TaskRelease extends CcmcpCommand {
  static override summary = 'Give a claimed task back (its holder or the operator): it returns to open'
  static override examples = ['<%= config.bin %> task release api T-1']
  static override args = {session: sessionArg, id: idArg}

  async run() {
    const {args} = await this.parse(TaskRelease)
    const {session, id} = positional('release', ['session', 'id'], [args.session, args.id])
    const result = await this.runOperation('release_task', {session, id})
    this.log(taskLine(result.task))
    return result
  }
}
