#!/usr/bin/env node
// Entry point for Claude Code hooks. Events are ordered by when their hook process started (most
// hooks run async and may finish out of order); performance.timeOrigin is that moment, before
// Node's own start-up work. The fast path appends the event, sealed, to the agent's spool and
// loads nothing else; the full hook (PermissionRequest, or when there is no spool key yet) loads
// the store and the pipeline.
import module from 'node:module'
import {performance} from 'node:perf_hooks'

const startedAt = performance.timeOrigin
module.enableCompileCache?.()
const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const raw = Buffer.concat(chunks).toString('utf8')
let outcome = {spooled: false, raw}
try {
  const {spoolHookEvent} = await import('../dist/core/entry/spool-hook.js')
  outcome = spoolHookEvent(process.env, raw, startedAt, (agentKey, home) => {
    void import('../dist/core/adapters/flusher.js').then(({spawnFlusher}) => spawnFlusher(process.env, home, agentKey))
  })
} catch {
  // Whatever kept the event from the spool, the full hook records it (and logs why it could not).
}
if (!outcome.spooled) {
  const {main} = await import('../dist/core/entry/hook-entry.js')
  await main(process.env, {startedAt: new Date(startedAt), input: async () => raw})
}
