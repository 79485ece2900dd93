import {Args, Flags} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {agentSummary} from '../../cli/format.js'

export default class AgentCreate extends CcmcpCommand {
  static override summary = 'Start an agent (Claude Code, or any program) in a new tab'
  static override examples = [
    '<%= config.bin %> agent create api',
    '<%= config.bin %> agent create api --name reviewer --prompt "Review the open PR"',
    '<%= config.bin %> agent create api --command "aider --model sonnet"',
  ]
  static override args = {session: Args.string({required: true, description: 'Session to add the agent to'})}
  static override flags = {
    name: Flags.string({char: 'n', description: 'Agent name (default: the next Agent_N)'}),
    command: Flags.string({char: 'c', description: 'Run this program instead of Claude Code (split into words, no shell)'}),
    prompt: Flags.string({char: 'p', description: 'First message, sent once the agent is ready'}),
    'max-agents': Flags.integer({min: 1, description: 'Most agents per session (default: config maxAgents, 16)'}),
    'permission-mode': Flags.option({options: ['acceptEdits', 'auto', 'bypassPermissions', 'manual', 'default', 'dontAsk', 'plan'] as const, description: "Claude Code --permission-mode (default: config permissionMode, else Claude Code's own)"})(),
    wait: Flags.boolean({default: true, allowNo: true, description: 'Return once a claude agent is ready for input (--no-wait: at once; --prompt is then queued)'}),
  }

  async run() {
    const {args, flags} = await this.parse(AgentCreate)
    const result = await this.runOperation(
      'create_agent',
      {session: args.session, name: flags.name, command: flags.command, prompt: flags.prompt, permissionMode: flags['permission-mode'], wait: flags.wait},
      {maxAgents: flags['max-agents']},
    )
    this.log(`Created ${agentSummary(result.agent)}`)
    return result
  }
}
