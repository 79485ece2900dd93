import {CcmcpCommand} from '../cli/base-command.js'
import {flagFrom} from '../cli/schema-flags.js'
import {operations} from '../core/pipeline/registry.js'
import {EXIT_CODES} from '../core/domain/errors.js'

const MARK = {ok: '✓', warn: '!', fail: '✗'} as const

export default class Doctor extends CcmcpCommand {
  static override summary = 'Check that ccmcp can work here, and show the Claude Desktop entry'
  static override description =
    'Checks the state store, the terminal backend (tmux present and working / iTerm2 reachable), and finds claude (and tmux) on PATH or in the usual install locations with their versions. Exits with the code of the first failed check.'
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json', '<%= config.bin %> doctor --host build-box']
  static override flags = {
    host: flagFrom(operations.doctor.input, 'host'),
    'remote-ccmcp': flagFrom(operations.doctor.input, 'remoteCcmcp'),
  }

  async run() {
    const {flags} = await this.parse(Doctor)
    const result = await this.runOperation('doctor', {host: flags.host, remoteCcmcp: flags['remote-ccmcp']})
    const width = Math.max(...result.checks.map((check) => check.name.length))
    for (const check of result.checks) {
      this.log(`${MARK[check.status]} ${check.name.padEnd(width)}  ${check.detail}`)
      if (check.hint) this.log(`  ${' '.repeat(width)}  → ${check.hint}`)
    }
    if (flags.host === undefined) this.log(`\nClaude Desktop entry (${result.claudeDesktop.configFile}; \`ccmcp install claude-desktop\` adds it):`)
    if (flags.host === undefined) this.log(JSON.stringify(result.claudeDesktop.snippet, null, 2))
    const failure = result.checks.find((check) => check.status === 'fail')
    if (failure?.code) this.io.setExitCode(EXIT_CODES[failure.code])
    return result
  }
}
