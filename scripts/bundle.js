#!/usr/bin/env node
// `npm run build`, after tsc: bundles the CLI's fast path (dist/cli/fast/main.js: core, zod and
// the views of the hot read-only commands) into one file, so Node parses one module instead of
// about 250 (README § Performance). The bundle sits three folders deep like dist/core/*/*.js, so
// the paths core computes from import.meta.url (bin/hook.js, bin/run.js, bin/flush.js) stay right.
import {build} from 'esbuild'

await build({
  entryPoints: {'bundle/cli/fast': 'dist/cli/fast/main.js'},
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // A native addon, loaded only when the keychain is asked.
  external: ['@napi-rs/keyring'],
  // CommonJS inside the bundle may require node's own modules.
  banner: {js: "import {createRequire as __ccmcpCreateRequire} from 'node:module'; const require = __ccmcpCreateRequire(import.meta.url);"},
  logLevel: 'warning',
})
