/**
 * What Claude Code's hooks run (through bin/hook.js): reads the event JSON from stdin and
 * records it for the agent named by CCMCP_SESSION / CCMCP_AGENT. Kept tiny for speed, and it
 * never fails the agent's turn: problems go to logs/hook.log and the exit code stays 0.
 * Nothing is written to stdout — Claude Code would read it as hook output.
 */
import {appendFile, mkdir} from 'node:fs/promises'

import {spawnFlusher} from './adapters/flusher.js'
import {createStateStore} from './adapters/stores.js'
import {type HookPayload, recordHookEvent} from './hooks.js'
import {pathsFor, resolveHome} from './paths.js'

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const paths = pathsFor(resolveHome(env))
  try {
    const session = env.CCMCP_SESSION
    const agent = env.CCMCP_AGENT
    if (!session || !agent) throw new Error('CCMCP_SESSION and CCMCP_AGENT are not set; this hook only works in an agent ccmcp started')
    const raw = await readStdin()
    const payload = JSON.parse(raw || '{}') as HookPayload
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new Error('hook input is not a JSON object')
    const store = createStateStore(paths.home)
    const recorded = await recordHookEvent({store, eventsDir: paths.eventsDir, session, agent, launchId: env.CCMCP_LAUNCH_ID || null, now: new Date()}, payload)
    // Queued messages go out from a detached process: the hook must return at once, and the
    // prompt takes input only after SessionStart has returned.
    if (recorded.flush) spawnFlusher(env, paths.home, `${session}/${agent}`)
  } catch (error) {
    await mkdir(paths.logsDir, {recursive: true, mode: 0o700}).catch(() => undefined)
    const line = JSON.stringify({at: new Date().toISOString(), session: env.CCMCP_SESSION, agent: env.CCMCP_AGENT, error: (error as Error).message})
    await appendFile(`${paths.logsDir}/hook.log`, `${line}\n`, {mode: 0o600}).catch(() => undefined)
  }
}
