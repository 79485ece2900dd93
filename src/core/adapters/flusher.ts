/** Starts bin/flush.js detached: it delivers an agent's next queued message and exits. */
import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const FLUSH_SCRIPT = fileURLToPath(new URL('../../../bin/flush.js', import.meta.url))

export function spawnFlusher(env: Record<string, string | undefined>, home: string, key: string): void {
  const [session, agent] = key.split('/')
  const child = spawn(process.execPath, [FLUSH_SCRIPT], {
    detached: true,
    stdio: 'ignore',
    env: {...env, CCMCP_HOME: home, CCMCP_SESSION: session, CCMCP_AGENT: agent},
  })
  child.unref()
}
