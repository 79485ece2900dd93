import {Flags} from '@oclif/core'

import {CcmcpCommand} from '../../cli/base-command.js'
import {argFrom} from '../../cli/schema-flags.js'
import {CcmcpError} from '../../core/domain/errors.js'
import {operations} from '../../core/pipeline/registry.js'

export default class AgentFocus extends CcmcpCommand {
  static override summary = "Bring an agent's tab to the front (or print how to attach to it, or attach with --attach)"
  static override description = `A tmux agent (also one on another host) is shown in the attached tmux client; without one, the line that attaches a terminal is printed (for another host: \`ssh -t host tmux … attach\`). --attach runs that line in this terminal until you detach (tmux: Ctrl-b d) and exits with its code; it needs a terminal (exit 17 without one). In iTerm2 (macOS) the line uses \`tmux -CC\`, so iTerm2 opens the tmux windows as native tabs; --no-tmux-cc turns that off, --tmux-cc forces it.`
  static override examples = ['<%= config.bin %> agent focus api/Agent_1', '<%= config.bin %> agent focus api/Agent_1 --attach']
  static override args = {agent: argFrom(operations.focus_agent.input, 'agent')}
  static override flags = {
    attach: Flags.boolean({description: 'Attach this terminal to the tab (runs the tmux or ssh -t line) instead of printing it'}),
    'tmux-cc': Flags.boolean({allowNo: true, description: 'Use tmux control mode (tmux -CC: native iTerm2 tabs); default: on inside iTerm2'}),
  }

  async run() {
    const {args, flags} = await this.parse(AgentFocus)
    const [{assertTerminal, attachTerminal}, {inITerm2}] = await Promise.all([import('../../cli/attach.js'), import('../../core/agents/attach.js')])
    if (flags.attach) {
      if (this.jsonEnabled()) throw new CcmcpError('INVALID_INPUT', '--attach hands the terminal over and prints no JSON.', {hint: `Leave out --json, or leave out --attach to get the line as JSON (\`attach\`).`})
      assertTerminal(this.io, args.agent)
    }
    const tmuxControlMode = flags['tmux-cc'] ?? inITerm2(this.io.env)
    const result = await this.runOperation('focus_agent', {agent: args.agent, tmuxControlMode})
    if (!flags.attach) {
      this.log(result.focused ? `Focused ${result.agent.session}/${result.agent.name}` : `No terminal is attached. To see it, run:\n  ${result.hint}`)
      return result
    }
    if (!result.attach) {
      this.log(`Focused ${result.agent.session}/${result.agent.name} (an iTerm2 tab: there is nothing to attach).`)
      return result
    }
    this.io.setExitCode(await attachTerminal(result.attach, this.io.env))
    return result
  }
}
