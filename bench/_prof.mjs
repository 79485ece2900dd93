import {mkdtemp, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {pathToFileURL, fileURLToPath} from 'node:url'
const repo = fileURLToPath(new URL('..', import.meta.url))
const dir = await mkdtemp(path.join(os.tmpdir(), 'ccbp-'))
const root = await mkdtemp(path.join(os.tmpdir(), 'ccbpr-'))
const env = {PATH: process.env.PATH ?? '', HOME: dir, LANG: 'C.UTF-8', TERM: 'xterm-256color', CCMCP_HOME: dir}
await writeFile(path.join(dir, 'config.json'), JSON.stringify({maxAgents: 200, maxSessions: 8}))
const {createRuntime} = await import(pathToFileURL(path.join(repo, 'dist', 'core', 'entry', 'runtime.js')).href)
const {core} = await createRuntime({env, limits: {maxAgents: 200, maxSessions: 8}})
await core.run('create_session', {name: 'bench', root})
const n = Number(process.argv[2] ?? 128)
let next = 0
await Promise.all(Array.from({length: 8}, async () => { while (next < n) { next++; await core.run('create_agent', {session: 'bench', command: 'sleep 600'}) } }))
console.error('created', dir)
const {Client} = await import('@modelcontextprotocol/sdk/client/index.js')
const {StdioClientTransport} = await import('@modelcontextprotocol/sdk/client/stdio.js')
const transport = new StdioClientTransport({command: process.execPath, args: ['--cpu-prof', '--cpu-prof-dir=/tmp/sprof', path.join(repo, 'bin', 'run.js'), 'serve'], env, stderr: 'inherit'})
const client = new Client({name: 'b', version: '1'})
await client.connect(transport)
const times = []
for (let i = 0; i < 30; i++) { const t = performance.now(); const r = await client.callTool({name: 'get_session_status', arguments: {name: 'bench'}}); times.push(performance.now() - t); if (i === 0) console.error('bytes', r.content[0].text.length) }
times.sort((a, b) => a - b); console.error('median', times[15].toFixed(1))
await client.close()
console.error('home', dir)
