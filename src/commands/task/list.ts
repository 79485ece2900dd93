import {CcmcpCommand} from '../../cli/base-command.js'
import {flagFrom} from '../../cli/schema-flags.js'
import {sessionArg, tasksTable} from '../../cli/task-args.js'
import {operations} from '../../core/pipeline/registry.js'

export default class TaskList extends CcmcpCommand {
  static override summary = "List a session's tasks: status, holder, age"
  static override examples = ['<%= config.bin %> task list api', '<%= config.bin %> task list api --status open --json']
  static override args = {session: sessionArg}
  static override flags = {status: flagFrom(operations.list_tasks.input, 'status', {char: 's'})}

  async run() {
    const {args, flags} = await this.parse(TaskList)
    const result = await this.runOperation('list_tasks', {session: args.session, status: flags.status})
    this.log(tasksTable(result.tasks, new Date()))
    return result
  }
}
