import {CcmcpCommand} from '../../cli/base-command.js'
import {argFrom, flagFrom} from '../../cli/schema-flags.js'
import {exitCodeText} from '../../cli/exit-codes.js'
import {operations} from '../../core/pipeline/registry.js'

const input = operations.answer_agent.input

export default class AgentAnswer extends CcmcpCommand {
  static override summary = 'Answer an agent that waits: allow or deny its permission prompt, or trust its folder'
  static override description = `The agent's status must be waiting (\`agent list\` shows what it asks, e.g. "permission: Bash(npm test)"); otherwise nothing is answered (${exitCodeText('AGENT_NOT_WAITING')}). allow lets the tool run (--always also adds the rule Claude Code suggests, so it is not asked again); deny refuses it, and --message is what the model is told; trust answers the workspace-trust dialog: that root only is trusted and the agent starts again past the dialog. A person may still answer in the agent's tab; whichever answer comes first counts.`
  static override examples = [
    '<%= config.bin %> agent answer api/Agent_1 allow',
    '<%= config.bin %> agent answer api/Agent_1 allow --always',
    '<%= config.bin %> agent answer api/Agent_1 deny --message "Use the test database instead"',
    '<%= config.bin %> agent answer api/Agent_2 trust',
  ]
  static override args = {
    agent: argFrom(input, 'agent'),
    answer: argFrom(input, 'answer', {description: 'allow | deny | trust'}),
  }
  static override flags = {
    always: flagFrom(input, 'always'),
    message: flagFrom(input, 'message'),
  }

  async run() {
    const {args, flags} = await this.parse(AgentAnswer)
    const result = await this.runOperation('answer_agent', {agent: args.agent, answer: args.answer as 'allow' | 'deny' | 'trust', always: flags.always, message: flags.message})
    const {agent, answered} = result
    this.log(`${answered.answer}${answered.always ? ' (always)' : ''}: ${agent.session}/${agent.name}${answered.summary ? ` ${answered.summary}` : ''} → ${agent.status}`)
    return result
  }
}
