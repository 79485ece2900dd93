import {CcmcpCommand} from '../../cli/base-command.js'
import {exitCodeText} from '../../cli/exit-codes.js'
import {flagFrom} from '../../cli/schema-flags.js'
import {idArg, sessionArg, taskLine} from '../../cli/task-args.js'
import {TASK_ID_PATTERN} from '../../core/tasks/board.js'
import {operations} from '../../core/pipeline/registry.js'

const input = operations.claim_task.input

export default class TaskClaim extends CcmcpCommand {
  static override summary = 'Claim a task (by id, or --next for the first ready one)'
  static override description = `Atomic: of agents claiming at once, exactly one gets each task. Inside an agent's environment the claim is that agent's; the operator names the agent with --agent (or uses \`ccmcp task assign\`). With --next and nothing ready: ${exitCodeText('NOTHING_READY')}.`
  static override examples = ['<%= config.bin %> task claim --next', '<%= config.bin %> task claim T-3', '<%= config.bin %> task claim api --next --agent Agent_2 --json']
  static override args = {session: sessionArg, id: idArg}
  static override flags = {
    next: flagFrom(input, 'next', {char: 'n'}),
    agent: flagFrom(input, 'agent', {char: 'a'}),
  }

  async run() {
    const {args, flags} = await this.parse(TaskClaim)
    // One argument: a task id (inside an agent) unless --next says it is the session.
    const [session, id] = args.id === undefined && args.session !== undefined && !flags.next && TASK_ID_PATTERN.test(args.session) ? [undefined, args.session] : [args.session, args.id]
    const result = await this.runOperation('claim_task', {session, id, next: flags.next, agent: flags.agent})
    this.log(`Claimed ${taskLine(result.task)}`)
    return result
  }
}
