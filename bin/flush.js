#!/usr/bin/env node
// Started by an agent's hook: delivers the agent's next queued message, then exits.
import module from 'node:module'

module.enableCompileCache?.()
const {main} = await import('../dist/core/flush-entry.js')
await main()
