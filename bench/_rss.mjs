import path from 'node:path'
import {readFileSync} from 'node:fs'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'
const repo = fileURLToPath(new URL('..', import.meta.url))
const dir = process.argv[2]
const {Client} = await import('@modelcontextprotocol/sdk/client/index.js')
const {StdioClientTransport} = await import('@modelcontextprotocol/sdk/client/stdio.js')
for (const flags of process.argv.slice(3)) {
  const env = {PATH: process.env.PATH ?? '', HOME: dir, LANG: 'C.UTF-8', TERM: 'xterm-256color', CCMCP_HOME: dir, X_OPT: ''}
  const transport = new StdioClientTransport({command: process.execPath, args: [path.join(repo, 'bin', process.env.ENTRY ?? 'run.js'), 'serve'], env, stderr: 'ignore'})
  const client = new Client({name: 'b', version: '1'})
  await client.connect(transport)
  const mix = [['list_sessions', {}], ['get_session_status', {name: 'bench'}], ['list_agents', {session: 'bench'}]]
  const t = performance.now()
  const cpu0 = readFileSync(`/proc/${transport.pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).map(Number)
  for (let i = 0; i < 100; i++) await client.callTool({name: mix[i % 3][0], arguments: mix[i % 3][1]})
  const cpu1 = readFileSync(`/proc/${transport.pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).map(Number)
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${transport.pid}/status`, 'utf8'))[1]) / 1024
  console.log(flags.padEnd(40), rss.toFixed(1), 'MB', ((performance.now() - t) / 100).toFixed(1), 'ms/call', (cpu1[0] + cpu1[1] - cpu0[0] - cpu0[1]) * 10, 'ms cpu')
  await client.close()
}
