import {CcmcpCommand} from '../../cli/base-command.js'
import {flagFrom} from '../../cli/schema-flags.js'
import {serveFlags, serveFlagArgs} from '../../cli/serve-flags.js'
import {operations} from '../../core/pipeline/registry.js'

export default class InstallClaudeDesktop extends CcmcpCommand {
  static override summary = "Add ccmcp to Claude Desktop's config (claude_desktop_config.json)"
  static override description =
    "Adds (or updates) the ccmcp entry under mcpServers, keeping every other setting, and keeps a backup of the file as it was. An invalid config file is left untouched. Restart Claude Desktop afterwards. Config file: macOS ~/Library/Application Support/Claude/, Windows %APPDATA%\\Claude\\, Linux ~/.config/Claude/."
  static override examples = [
    '<%= config.bin %> install claude-desktop',
    '<%= config.bin %> install claude-desktop --print',
    '<%= config.bin %> install claude-desktop --security-level MEDIUM',
  ]
  static override flags = {
    print: flagFrom(operations.install_claude_desktop.input, 'print', {description: 'Print the JSON entry instead of changing the file'}),
    'config-file': flagFrom(operations.install_claude_desktop.input, 'configFile'),
    ...serveFlags,
  }

  async run() {
    const {flags} = await this.parse(InstallClaudeDesktop)
    const result = await this.runOperation('install_claude_desktop', {print: flags.print, configFile: flags['config-file'], serveArgs: serveFlagArgs(flags)})
    if (flags.print) {
      this.log(JSON.stringify(result.snippet, null, 2))
      return result
    }
    if (!result.written) this.log(`${result.configFile} already has this ccmcp entry; nothing changed.`)
    else this.log(`${result.replaced ? 'Updated' : 'Added'} the ccmcp entry in ${result.configFile}${result.backup ? ` (backup: ${result.backup})` : ''}.\nRestart Claude Desktop to load it.`)
    return result
  }
}
