/**
 * Started (detached) by an agent's hook when the agent is ready and has queued messages:
 * delivers the next one and exits. Problems go to logs/hook.log; nothing to stdout.
 */
import {appendFile, mkdir} from 'node:fs/promises'

import {flushQueue} from './delivery.js'
import {createRuntime} from './runtime.js'

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const {deps, paths} = await createRuntime({env})
  try {
    const key = `${env.CCMCP_SESSION}/${env.CCMCP_AGENT}`
    const delivery = await flushQueue(deps, key)
    deps.logger.debug('flushed a queued message', {agent: key, delivery})
  } catch (error) {
    await mkdir(paths.logsDir, {recursive: true, mode: 0o700}).catch(() => undefined)
    const line = JSON.stringify({at: new Date().toISOString(), flush: `${env.CCMCP_SESSION}/${env.CCMCP_AGENT}`, error: (error as Error).message})
    await appendFile(`${paths.logsDir}/hook.log`, `${line}\n`, {mode: 0o600}).catch(() => undefined)
  }
}
