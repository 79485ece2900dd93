import {CcmcpCommand} from '../../cli/base-command.js'
import {flagFrom} from '../../cli/schema-flags.js'
import {serveFlags, serveFlagArgs} from '../../cli/serve-flags.js'
import {operations} from '../../core/pipeline/registry.js'

export default class InstallClaudeCode extends CcmcpCommand {
  static override summary = 'Add ccmcp to Claude Code (runs `claude mcp add`)'
  static override description = 'Runs `claude mcp add ccmcp -s <scope> -- <node> <ccmcp>/bin/run.js serve`, replacing an older ccmcp entry in that scope. With --print, shows the command instead.'
  static override examples = ['<%= config.bin %> install claude-code', '<%= config.bin %> install claude-code --print', '<%= config.bin %> install claude-code --scope local']
  static override flags = {
    print: flagFrom(operations.install_claude_code.input, 'print', {description: 'Print the command instead of running it'}),
    scope: flagFrom(operations.install_claude_code.input, 'scope'),
    ...serveFlags,
  }

  async run() {
    const {flags} = await this.parse(InstallClaudeCode)
    const result = await this.runOperation('install_claude_code', {print: flags.print, scope: flags.scope, serveArgs: serveFlagArgs(flags)})
    if (flags.print) this.log(result.commandLine)
    else this.log(`${result.output}\n${result.replaced ? 'Replaced the older ccmcp entry. ' : ''}Check it with: claude mcp list`.trim())
    return result
  }
}
