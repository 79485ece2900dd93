/**
 * Registering `ccmcp serve` with MCP clients: Claude Desktop (its JSON config file) and Claude
 * Code (`claude mcp add`). CLI only: an MCP client should not rewrite its own configuration.
 */
import * as z from 'zod'

import {
  SERVER_NAME,
  claudeDesktopConfigPath,
  claudeMcpAddArgs,
  desktopSnippet,
  serverEntry,
  shellLine,
  writeServerEntry,
} from '../platform/client-config.js'
import {CcmcpError} from '../domain/errors.js'
import {describeLocation, findProgram} from '../platform/programs.js'
import {type CoreDeps, defineOperation} from '../pipeline/operation.js'

const ServeArgs = z
  .array(z.string())
  .default([])
  .describe('Extra `ccmcp serve` flags for the entry, e.g. ["--security-level", "MEDIUM"]')
const Print = z.boolean().default(false).describe('Only show what would be configured; change nothing')
const Entry = z.object({command: z.string(), args: z.array(z.string())})

export const installClaudeDesktop = defineOperation({
  name: 'install_claude_desktop',
  callers: ['operator'],
  title: 'Add ccmcp to Claude Desktop',
  description:
    "Add (or update) the ccmcp server entry in Claude Desktop's claude_desktop_config.json, keeping every other setting and a backup of the file as it was.",
  level: 'HIGH',
  annotations: {readOnly: false, destructive: false, idempotent: true},
  mcp: false,
  input: z.object({
    print: Print,
    configFile: z.string().min(1).optional().describe("Config file to change (default: Claude Desktop's, for this platform)"),
    serveArgs: ServeArgs,
  }),
  output: z.object({
    configFile: z.string(),
    entry: Entry,
    snippet: z.record(z.string(), z.unknown()).describe('The mcpServers JSON for this entry'),
    written: z.boolean().describe('The file was changed'),
    replaced: z.boolean().describe('An older ccmcp entry was replaced'),
    backup: z.string().nullable().describe('Copy of the file before the change'),
  }),
  async handler(input, {deps}) {
    const configFile = input.configFile ?? claudeDesktopConfigPath(deps.launch.env, homeOf(deps))
    const entry = serverEntry(deps.launch.ccmcpCommand, input.serveArgs)
    const snippet = desktopSnippet(entry)
    if (input.print) return {configFile, entry, snippet, written: false, replaced: false, backup: null}
    const result = await writeServerEntry(deps.ports.host, configFile, entry, deps.ports.clock.now())
    return {configFile, entry, snippet, written: result.changed, replaced: result.replaced, backup: result.backup}
  },
})

export const installClaudeCode = defineOperation({
  name: 'install_claude_code',
  callers: ['operator'],
  title: 'Add ccmcp to Claude Code',
  description: 'Register ccmcp with Claude Code by running `claude mcp add` (an older ccmcp entry in the same scope is replaced).',
  level: 'HIGH',
  annotations: {readOnly: false, destructive: false, idempotent: true},
  mcp: false,
  input: z.object({
    print: Print,
    scope: z.enum(['user', 'local', 'project']).default('user').describe('Claude Code config scope: user (every project), local or project (this directory)'),
    serveArgs: ServeArgs,
  }),
  output: z.object({
    argv: z.array(z.string()).describe('The claude command, as run (or to run)'),
    commandLine: z.string().describe('The same, quoted for a shell'),
    ran: z.boolean(),
    replaced: z.boolean().describe('An older ccmcp entry was removed first'),
    output: z.string().describe("What claude printed"),
  }),
  async handler(input, {deps}) {
    const config = await deps.ports.config.read()
    const location = await findProgram(deps.launch.claudeBin(config), {env: deps.launch.env, home: homeOf(deps), host: deps.ports.host})
    const addArgs = claudeMcpAddArgs(serverEntry(deps.launch.ccmcpCommand, input.serveArgs), input.scope)
    const argv = [location.path ?? deps.launch.claudeBin(config), ...addArgs]
    if (input.print) return {argv, commandLine: shellLine(argv), ran: false, replaced: false, output: ''}
    if (!location.path) {
      throw new CcmcpError('NOT_FOUND', `Cannot run claude mcp add: ${describeLocation(location)}.`, {
        hint: 'Install Claude Code, or set `ccmcp config set claudeBin /path/to/claude`; or run the line from `ccmcp install claude-code --print` yourself.',
      })
    }
    const claude = location.path
    const run = (args: string[]) => deps.ports.exec(claude, args, {timeoutMs: 30_000, env: deps.launch.env})
    let result = await run(addArgs)
    let replaced = false
    if (result.exitCode !== 0 && /already exists/i.test(result.stderr + result.stdout)) {
      const removed = await run(['mcp', 'remove', SERVER_NAME, '-s', input.scope])
      if (removed.exitCode !== 0) throw claudeFailed(['mcp', 'remove'], removed.stderr || removed.stdout)
      replaced = true
      result = await run(addArgs)
    }
    if (result.exitCode !== 0) throw claudeFailed(['mcp', 'add'], result.stderr || result.stdout || (result.timedOut ? 'timed out' : `exit ${result.exitCode}`))
    return {argv, commandLine: shellLine(argv), ran: true, replaced, output: result.stdout.trim()}
  },
})

function homeOf(deps: CoreDeps): string {
  return deps.launch.env.HOME || deps.ports.host.homeDir()
}

function claudeFailed(command: string[], said: string): CcmcpError {
  return new CcmcpError('UNEXPECTED', `claude ${command.join(' ')} failed: ${said.trim()}`, {
    hint: 'Run the line from `ccmcp install claude-code --print` yourself to see the whole output.',
  })
}
