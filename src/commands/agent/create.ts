import {Flags} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {agentSummary} from '../../cli/format.js'
import {limitFlags} from '../../cli/limit-flags.js'
import {argFrom, flagFrom} from '../../cli/schema-flags.js'
import {withOptionalValue} from '../../cli/optional-value.js'
import {operations} from '../../core/pipeline/registry.js'

const input = operations.create_agent.input

export default class AgentCreate extends CcmcpCommand {
  static override summary = 'Start an agent (Claude Code, or any program) in a new tab'
  static override examples = [
    '<%= config.bin %> agent create api',
    '<%= config.bin %> agent create api --name reviewer --prompt "Review the open PR"',
    '<%= config.bin %> agent create api --command "aider --model sonnet"',
    '<%= config.bin %> agent create api --worktree --branch fix/login --base main',
    '<%= config.bin %> agent create api --worktree login-fix',
  ]
  static override args = {session: argFrom(input, 'session')}
  static override flags = {
    name: flagFrom(input, 'name', {char: 'n'}),
    command: flagFrom(input, 'command', {char: 'c'}),
    prompt: flagFrom(input, 'prompt', {char: 'p'}),
    'max-agents': limitFlags['max-agents'],
    'permission-mode': flagFrom(input, 'permissionMode'),
    wait: flagFrom(input, 'wait'),
    // --no-worktree: when the session defaults to worktrees (session create --worktrees).
    worktree: Flags.boolean({allowNo: true, description: "Give the agent its own git worktree and branch, next to the repository (default: the session's --worktrees setting); --worktree NAME (or --worktree=NAME) names it: folder <session>/NAME, branch ccmcp/<session>/NAME"}),
    // What --worktree NAME becomes (withOptionalValue): oclif has no flag with an optional value.
    'worktree-name': Flags.string({hidden: true, description: 'The NAME of --worktree NAME'}),
    branch: flagFrom(input, 'branch'),
    base: flagFrom(input, 'base'),
    'reuse-branch': flagFrom(input, 'reuseBranch', {default: null}),
  }

  async run() {
    this.argv = withOptionalValue(this.argv, 'worktree', 'worktree-name', 1, AgentCreate.flags)
    const {args, flags} = await this.parse(AgentCreate)
    const result = await this.runOperation(
      'create_agent',
      {session: args.session, name: flags.name, command: flags.command, prompt: flags.prompt, permissionMode: flags['permission-mode'], wait: flags.wait, worktree: flags['worktree-name'] === undefined ? flags.worktree : (flags.worktree ?? true), worktreeName: flags['worktree-name'], branch: flags.branch, base: flags.base, reuseBranch: flags['reuse-branch']},
      {maxAgents: flags['max-agents']},
    )
    this.log(`Created ${agentSummary(result.agent, this.color)}`)
    if (result.agent.worktree) this.log(`Worktree ${result.agent.worktree.path} on branch ${result.agent.worktree.branch}`)
    return result
  }
}
