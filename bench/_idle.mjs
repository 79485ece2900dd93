import path from 'node:path'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
const repo = fileURLToPath(new URL('..', import.meta.url))
const dir = process.argv[2]
const {Client} = await import('@modelcontextprotocol/sdk/client/index.js')
const {StdioClientTransport} = await import('@modelcontextprotocol/sdk/client/stdio.js')
for (const spec of process.argv.slice(3)) {
  const [entry, flags] = spec.split(':')
  const env = {PATH: process.env.PATH ?? '', HOME: dir, LANG: 'C.UTF-8', TERM: 'xterm-256color', CCMCP_HOME: dir, X_OPT: flags ?? ''}
  const transport = new StdioClientTransport({command: process.execPath, args: [path.join(repo, 'bin', entry), 'serve'], env, stderr: 'ignore'})
  const client = new Client({name: 'b', version: '1'})
  await client.connect(transport)
  await client.listTools()
  await client.callTool({name: 'list_sessions', arguments: {}})
  await new Promise((r) => setTimeout(r, 1000))
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${transport.pid}/status`, 'utf8'))[1]) / 1024
  console.log(spec.padEnd(40), rss.toFixed(1), 'MB idle')
  await client.close()
}
