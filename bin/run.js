#!/usr/bin/env node
// Node ≥ 22.1 caches compiled modules between runs; on Node 20 this is a no-op.
import {existsSync} from 'node:fs'
import module from 'node:module'

module.enableCompileCache?.()
// `serve` lives for hours: V8 keeps its heap lean from the start (src/mcp/memory.ts).
if (process.argv[2] === 'serve') (await import('../dist/mcp/memory.js')).keepHeapLean()
// The commands users wait on most, and `serve`, skip oclif's load and command search
// (src/cli/fast/route.ts); everything else, and anything the fast path is not certain of, goes
// through oclif.
const {fastRoute} = await import('../dist/cli/fast/route.js')
const route = fastRoute(process.argv.slice(2), process.env)
const bundle = new URL('../dist/bundle/cli/fast.js', import.meta.url)
const packageJson = new URL('../package.json', import.meta.url)
const version = route?.kind === 'version' ? await import('../dist/cli/fast/version.js') : undefined
if (version && !version.mayBeWsl()) {
  process.stdout.write(`${version.versionText(packageJson)}\n`)
} else if (route?.kind === 'serve') {
  const {runServe} = await import('../dist/cli/fast/serve.js')
  await runServe(route.flags, packageJson)
} else if (route?.kind === 'command' && existsSync(bundle)) {
  const {runFast} = await import(bundle.href)
  await runFast(route)
} else {
  const {execute} = await import('@oclif/core/execute')
  await execute({dir: import.meta.url})
}
