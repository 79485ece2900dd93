import {CcmcpCommand} from '../../cli/base-command.js'
import {agentSummary} from '../../cli/format.js'
import {limitFlags} from '../../cli/limit-flags.js'
import {argFrom, flagFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

const input = operations.create_agent.input

export default class AgentCreate extends CcmcpCommand {
  static override summary = 'Start an agent (Claude Code, or any program) in a new tab'
  static override examples = [
    '<%= config.bin %> agent create api',
    '<%= config.bin %> agent create api --name reviewer --prompt "Review the open PR"',
    '<%= config.bin %> agent create api --command "aider --model sonnet"',
  ]
  static override args = {session: argFrom(input, 'session')}
  static override flags = {
    name: flagFrom(input, 'name', {char: 'n'}),
    command: flagFrom(input, 'command', {char: 'c'}),
    prompt: flagFrom(input, 'prompt', {char: 'p'}),
    'max-agents': limitFlags['max-agents'],
    'permission-mode': flagFrom(input, 'permissionMode'),
    wait: flagFrom(input, 'wait'),
  }

  async run() {
    const {args, flags} = await this.parse(AgentCreate)
    const result = await this.runOperation(
      'create_agent',
      {session: args.session, name: flags.name, command: flags.command, prompt: flags.prompt, permissionMode: flags['permission-mode'], wait: flags.wait},
      {maxAgents: flags['max-agents']},
    )
    this.log(`Created ${agentSummary(result.agent, this.color)}`)
    return result
  }
}
