/**
 * The figures that need many agents: creating 128 program agents 8 at a time against creating 8
 * (wall), `get_session_status` over MCP with 128 agents against 1 (medians of alternating calls
 * to two `ccmcp serve`), and the RSS of the 128-agent server after 100 tool calls. Agents are
 * `sleep 600` in real tmux windows of a private server, created through the built core.
 */
import {execFile} from 'node:child_process'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {readFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {promisify} from 'node:util'

import {median} from './measure.js'

const run = promisify(execFile)
const repo = fileURLToPath(new URL('..', import.meta.url))

async function home(label) {
  const dir = await mkdtemp(path.join(os.tmpdir(), `ccb${label}-`))
  const root = await mkdtemp(path.join(os.tmpdir(), `ccbr${label}-`))
  const env = {PATH: process.env.PATH ?? '', HOME: dir, LANG: 'C.UTF-8', TERM: 'xterm-256color', CCMCP_HOME: dir}
  await writeFile(path.join(dir, 'config.json'), JSON.stringify({maxAgents: 200, maxSessions: 8}))
  return {dir, root, env}
}

/** Wall ms to create `count` program agents in one new session, `parallel` at a time. */
async function createAgents(place, count, parallel) {
  const {createRuntime} = await import(pathToFileURL(path.join(repo, 'dist', 'core', 'entry', 'runtime.js')).href)
  const {core} = await createRuntime({env: place.env, limits: {maxAgents: 200, maxSessions: 8}})
  await core.run('create_session', {name: 'bench', root: place.root})
  let next = 0
  const started = performance.now()
  const worker = async () => {
    while (next < count) {
      next += 1
      await core.run('create_agent', {session: 'bench', command: 'sleep 600'})
    }
  }
  await Promise.all(Array.from({length: parallel}, worker))
  return performance.now() - started
}

async function startServer(place) {
  const {Client} = await import('@modelcontextprotocol/sdk/client/index.js')
  const {StdioClientTransport} = await import('@modelcontextprotocol/sdk/client/stdio.js')
  const transport = new StdioClientTransport({command: process.execPath, args: [path.join(repo, 'bin', 'run.js'), 'serve'], env: place.env, stderr: 'ignore'})
  const client = new Client({name: 'ccmcp-bench', version: '1.0.0'})
  await client.connect(transport)
  return {
    client,
    pid: transport.pid,
    async call(name, args) {
      const result = await client.callTool({name, arguments: args})
      if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content)}`)
      return result
    },
  }
}

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN) / 1024

export async function benchAgents({many = 128, few = 8, parallel = 8, statusCalls = 25, log = () => {}} = {}) {
  const places = [await home('f'), await home('m'), await home('o')]
  const [fewPlace, manyPlace, onePlace] = places
  const servers = []
  try {
    log(`creating ${few}, then ${many} program agents, ${parallel} at a time…`)
    const fewMs = await createAgents(fewPlace, few, parallel)
    const manyMs = await createAgents(manyPlace, many, parallel)
    await createAgents(onePlace, 1, 1)
    log('get_session_status over MCP, 128 agents against 1…')
    const [manyServer, oneServer] = [await startServer(manyPlace), await startServer(onePlace)]
    servers.push(manyServer, oneServer)
    let calls = 0
    const timed = async (server) => {
      const started = performance.now()
      const result = await server.call('get_session_status', {name: 'bench'})
      if (server === manyServer) calls += 1
      return {ms: performance.now() - started, result}
    }
    const first = await timed(manyServer)
    const agentsSeen = JSON.parse(first.result.content[0].text).agents?.length
    if (agentsSeen !== many) throw new Error(`get_session_status saw ${agentsSeen} agents, not ${many}`)
    await timed(oneServer)
    const manyTimes = []
    const oneTimes = []
    for (let index = 0; index < statusCalls; index++) {
      oneTimes.push((await timed(oneServer)).ms)
      manyTimes.push((await timed(manyServer)).ms)
    }
    // The rest of 100 calls: a mix of what a client asks.
    const mix = [['list_sessions', {}], ['get_session_status', {name: 'bench'}], ['list_agents', {session: 'bench'}]]
    for (let index = 0; calls < 100; index++, calls++) await manyServer.call(...mix[index % mix.length])
    const rss = rssMb(manyServer.pid)
    return {
      createFewMs: fewMs, createManyMs: manyMs, createRatio: manyMs / fewMs, many, few, parallel,
      statusManyMs: median(manyTimes), statusOneMs: median(oneTimes), statusRatio: median(manyTimes) / median(oneTimes),
      serveRssMb: rss, serveCalls: calls,
    }
  } finally {
    for (const server of servers) await server.client.close().catch(() => undefined)
    for (const place of places) {
      await run('tmux', ['-S', path.join(place.dir, 'tmux.sock'), 'kill-server']).catch(() => undefined)
      // A server that just closed may still be signing its audit checkpoint into the home.
      await rm(place.dir, {recursive: true, force: true, maxRetries: 10, retryDelay: 100})
      await rm(place.root, {recursive: true, force: true})
    }
  }
}
