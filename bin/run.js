#!/usr/bin/env node
// Node ≥ 22.1 caches compiled modules between runs; on Node 20 this is a no-op.
import module from 'node:module'

module.enableCompileCache?.()
const {execute} = await import('@oclif/core/execute')
await execute({dir: import.meta.url})
