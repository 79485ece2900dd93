import {Args} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {idArg, positional, sessionArg, taskLine} from '../../cli/task-args.js'

export default class TaskAssign extends CcmcpCommand {
  static override summary = 'Give a task to an agent: claim it in its name and send it the task'
  static override description = 'The agent gets the task as a message (delivered now, or queued until it is ready), with how to note progress and complete it.'
  static override examples = ['<%= config.bin %> task assign api T-2 Agent_1']
  static override args = {session: sessionArg, id: idArg, agent: Args.string({description: 'The agent that is to do it (Agent_N)'})}

  async run() {
    const {args} = await this.parse(TaskAssign)
    const {session, id, agent} = positional('assign', ['session', 'id', 'agent'], [args.session, args.id, args.agent])
    const result = await this.runOperation('assign_task', {session, id, agent})
    this.log(`Assigned ${taskLine(result.task)} (message ${result.delivery})`)
    return result
  }
}
