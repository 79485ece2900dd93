/**
 * Starts bin/flush.js detached: it delivers an agent's next queued message and exits. The target
 * is its argument; the agent identity variables (and the agent's secret) are removed from its environment, so nothing in
 * it can be mistaken for an agent acting (the flusher acts as ccmcp).
 */
import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const FLUSH_SCRIPT = fileURLToPath(new URL('../../../bin/flush.js', import.meta.url))

export function spawnFlusher(env: Record<string, string | undefined>, home: string, key: string): void {
  const {CCMCP_SESSION: _session, CCMCP_AGENT: _agent, CCMCP_LAUNCH_ID: _launch, CCMCP_AGENT_SECRET: _secret, ...rest} = env
  const child = spawn(process.execPath, [FLUSH_SCRIPT, key], {
    detached: true,
    stdio: 'ignore',
    env: {...rest, CCMCP_HOME: home},
  })
  child.unref()
}
