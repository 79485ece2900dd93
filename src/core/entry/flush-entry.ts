/**
 * Started (detached) by an agent's hook when the agent is ready and has queued messages: delivers
 * the next one to the agent named on its command line (`bin/flush.js <session>/<agent>`), as
 * ccmcp itself, through the pipeline, and exits. Problems go to logs/hook.log; nothing to stdout.
 */
import {appendFile, mkdir} from 'node:fs/promises'

import {flushQueue} from '../delivery/delivery.js'
import {flushQueueOperation, internalPipeline} from '../pipeline/internal-operations.js'
import type {Recorder} from '../ports.js'
import {createRuntime} from './runtime.js'
import {hookLogLine} from './log-line.js'

export async function main(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env, options: {recorder?: Recorder} = {}): Promise<void> {
  const {deps, paths, recorder, close} = await createRuntime({env, recorder: options.recorder})
  const target = argv[0]
  try {
    const run = internalPipeline({flush_queue: flushQueueOperation}, {flushQueue: (key) => flushQueue(deps, key)}, {state: deps.ports.state, recorder, now: () => deps.ports.clock.now()})
    const result = await run('flush_queue', {agent: target}, {kind: 'ccmcp', task: 'flusher'})
    deps.ports.logger.debug('flushed a queued message', {agent: target, result})
  } catch (error) {
    await mkdir(paths.logsDir, {recursive: true, mode: 0o700}).catch(() => undefined)
    await appendFile(`${paths.logsDir}/hook.log`, hookLogLine({flush: target ?? null}, error), {mode: 0o600}).catch(() => undefined)
  } finally {
    await close()
  }
}
