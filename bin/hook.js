#!/usr/bin/env node
// Entry point for Claude Code hooks: records the agent's status. Skips oclif for speed.
import module from 'node:module'

module.enableCompileCache?.()
const {main} = await import('../dist/core/entry/hook-entry.js')
await main()
