import {CcmcpCommand, yesFlag} from '../../cli/base-command.js'
import {oneLine} from '../../present/text.js'
import {argFrom, flagFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

const input = operations.merge_agent.input

export default class AgentMerge extends CcmcpCommand {
  static override summary = "Merge an agent's worktree branch, then remove its worktree and the agent"
  static override description =
    'Plain git merge into --into (default: the branch checked out at the session root); a conflict aborts the merge, changes nothing and names the files. Refused while the agent is mid-turn or has uncommitted changes.'
  static override examples = ['<%= config.bin %> agent merge api/Agent_1', '<%= config.bin %> agent merge api/Agent_1 --into release']
  static override args = {agent: argFrom(input, 'agent')}
  static override flags = {into: flagFrom(input, 'into'), yes: yesFlag}

  async run() {
    const {args, flags} = await this.parse(AgentMerge)
    await this.confirm(`Merge ${oneLine(args.agent)}'s branch, then close it and remove its worktree?`, flags.yes)
    const result = await this.runOperation('merge_agent', {agent: args.agent, into: flags.into})
    const {merged, removed} = result
    this.log(`Merged ${oneLine(merged.branch)} into ${oneLine(merged.into)} (${merged.commit.slice(0, 12)}); removed ${merged.session}/${merged.agent} and ${oneLine(removed.worktree)}${removed.branchDeleted ? ` and branch ${oneLine(merged.branch)}` : ''}`)
    return result
  }
}
