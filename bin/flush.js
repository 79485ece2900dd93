#!/usr/bin/env node
// Started by an agent's hook: delivers the next queued message of the agent named by its argument
// (`flush.js <session>/<agent>`), then exits.
import module from 'node:module'

module.enableCompileCache?.()
const {main} = await import('../dist/core/entry/flush-entry.js')
await main(process.argv.slice(2))
