#!/usr/bin/env node
// Entry point for Claude Code hooks: records the agent's status. Skips oclif for speed.
// Events are ordered by when their hook process started (most hooks run async and may finish out
// of order); performance.timeOrigin is that moment, before Node's own start-up work.
import module from 'node:module'
import {performance} from 'node:perf_hooks'

const startedAt = new Date(performance.timeOrigin)
module.enableCompileCache?.()
const {main} = await import('../dist/core/entry/hook-entry.js')
await main(process.env, {startedAt})
