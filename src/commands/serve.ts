import {Flags} from '@oclif/core'

import {CcmcpCommand} from '../cli/base-command.js'
import {SECURITY_LEVELS} from '../core/pipeline/operation.js'

export default class Serve extends CcmcpCommand {
  // stdout carries the MCP protocol; there is no result to print as JSON.
  static override enableJsonFlag = false
  static override summary = 'Run the MCP server for Claude Desktop, Claude Code and other MCP clients'
  static override description = `Offers every ccmcp operation as an MCP tool (the same operations as the CLI), plus resources for each session's status and each agent's screen, and a prompt that plans multi-agent work.

stdio (the default) is what Claude Desktop and Claude Code run; set it up with \`ccmcp install claude-desktop\` or \`ccmcp install claude-code\`. Streamable HTTP (--transport http) is for local tools: it listens on 127.0.0.1, requires a bearer token on every request (--token, env CCMCP_TOKEN, or one generated and printed to stderr), and refuses requests whose Host or Origin is not this server.

Only MCP protocol goes to stdout. Logs go to stderr and to serve.log in --log-dir.`
  static override examples = [
    '<%= config.bin %> serve',
    '<%= config.bin %> serve --security-level LOW',
    '<%= config.bin %> serve --security-level MEDIUM --max-agents 4 --max-sessions 2',
    '<%= config.bin %> serve --transport http --port 8000 --token "$(openssl rand -hex 24)"',
  ]
  static override flags = {
    'security-level': Flags.option({
      options: SECURITY_LEVELS,
      default: 'HIGH' as const,
      description: 'Highest tool level this server runs. LOW: read-only tools (list, status, screens, wait, doctor); MEDIUM: also create, message, restart and recover agents and sessions; HIGH: also delete and clear. Tools above it are not listed and are refused if called.',
    })(),
    'max-agents': Flags.integer({min: 1, description: 'Most agents one session may have (default: config maxAgents, 16)'}),
    'max-sessions': Flags.integer({min: 1, description: 'Most sessions at once (default: config maxSessions, 8)'}),
    'log-dir': Flags.string({description: 'Directory for serve.log (and the audit log). Default: the logs folder in the ccmcp home'}),
    transport: Flags.option({options: ['stdio', 'http'] as const, default: 'stdio' as const, description: 'stdio for Claude Desktop / Claude Code; http for Streamable HTTP'})(),
    port: Flags.integer({min: 0, max: 65_535, default: 8000, description: 'HTTP port (0 picks a free one; the URL is printed to stderr)'}),
    host: Flags.string({default: '127.0.0.1', description: 'HTTP address to bind. Keep the loopback default unless you know why not'}),
    agent: Flags.boolean({description: "Serve as the agent whose environment this is (CCMCP_SESSION, CCMCP_AGENT, CCMCP_LAUNCH_ID), with only an agent's tools: the task board and messages to its own session. Each claude agent runs this through its --mcp-config"}),
    token: Flags.string({env: 'CCMCP_TOKEN', description: 'HTTP bearer token (default: env CCMCP_TOKEN, else a new one printed to stderr)'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Serve)
    const {serveWith} = await import('../cli/fast/serve.js')
    await serveWith(flags, this.config.version)
  }
}
