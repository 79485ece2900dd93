// Boundaries are enforced here, not in prose: core never imports a surface, core logic reaches
// files, the OS and programs only through ports (adapters are wired in runtime.ts), surfaces never
// import adapters nor each other, and nothing in src writes to the console. Static imports are
// checked by no-restricted-imports, import() by no-restricted-syntax (test/core/boundaries.test.ts).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/** Where core may touch the machine directly: the adapters and the process entry points. */
const CORE_ADAPTERS = 'src/core/adapters/**'
const CORE_ENTRY_POINTS = ['src/core/entry/**']

const SURFACES = ['commands', 'mcp', 'tui', 'cli']
const surfaceGlobs = (names) => names.flatMap((name) => [`**/${name}/*`, `**/${name}/**`])
const NODE_IO = ['fs', 'fs/promises', 'os', 'child_process'].flatMap((name) => [name, `node:${name}`])

const CORE_NO_SURFACE = {group: ['@oclif/*', 'ink', 'ink-*', 'react', '@modelcontextprotocol/*', ...surfaceGlobs(SURFACES)], message: 'core must not depend on a surface'}
const PORTS_ONLY = 'core logic reaches the outside only through ports (src/core/ports.ts); wire adapters in runtime.ts'

/** A selector for `import(...)` whose module name matches `regex` (a string, for esquery). */
const dynamicImport = (regex, message) => ({selector: `ImportExpression[source.value=/${regex}/]`, message})
const ADAPTER_RE = '(^|\\/)adapters\\/'
const NODE_IO_RE = '^(node:)?(fs|os|child_process)(\\/|$)'
const surfaceRe = (names) => `(^|\\/)(${names.join('|')})\\/`

/**
 * One surface's bans, static and dynamic imports alike: adapters, and the other surfaces except
 * those in `mayImport` and the single files in `allowed` (paths relative to src, "mcp/serve.js").
 */
function surfaceRules(own, {mayImport = [], allowed = []} = {}) {
  const others = SURFACES.filter((name) => name !== own && !mayImport.includes(name))
  const allowedGlobs = allowed.map((file) => `!**/${file}`)
  const allowedRe = allowed.map((file) => file.replaceAll('/', '\\/').replaceAll('.', '\\.')).join('|')
  const notAllowed = allowed.length > 0 ? `:not([source.value=/(^|\\/)(${allowedRe})$/])` : ''
  const message = `a surface must not import another surface (${others.join(', ')}); shared code belongs in core or a shared module`
  return {
    'no-restricted-imports': ['error', {patterns: [
      {group: ['**/core/adapters/*', '**/core/adapters/**'], message: 'surfaces reach adapters only through core/entry/runtime.ts'},
      {group: [...surfaceGlobs(others), ...allowedGlobs], message},
    ]}],
    'no-restricted-syntax': ['error',
      dynamicImport(ADAPTER_RE, 'surfaces reach adapters only through core/entry/runtime.ts'),
      {selector: `ImportExpression[source.value=/${surfaceRe(others)}/]${notAllowed}`, message},
    ],
  }
}

// Until the shared presentation module replaces src/cli/format.ts, the TUI and MCP still use it.

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'oclif.manifest.json']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {globals: {process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly'}},
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_'}],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {'no-console': 'error'},
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {patterns: [CORE_NO_SURFACE]}],
      'no-restricted-syntax': ['error', {selector: `ImportExpression[source.value=/${surfaceRe(SURFACES)}/]`, message: CORE_NO_SURFACE.message}],
    },
  },
  {
    // Core logic: everything in src/core but the adapters and the entry points.
    files: ['src/core/**/*.ts'],
    ignores: [CORE_ADAPTERS, ...CORE_ENTRY_POINTS],
    rules: {
      'no-restricted-imports': ['error', {
        paths: NODE_IO.map((name) => ({name, message: `${PORTS_ONLY} (files and the home directory: the Host port; programs: Exec)`})),
        patterns: [{group: ['**/adapters/*', '**/adapters/**', 'conf', 'execa', 'proper-lockfile'], message: PORTS_ONLY}, CORE_NO_SURFACE],
      }],
      'no-restricted-syntax': ['error',
        dynamicImport(ADAPTER_RE, PORTS_ONLY),
        dynamicImport(NODE_IO_RE, PORTS_ONLY),
        dynamicImport('^(conf|execa|proper-lockfile)$', PORTS_ONLY),
        {selector: `ImportExpression[source.value=/${surfaceRe(SURFACES)}/]`, message: CORE_NO_SURFACE.message},
        {selector: 'ImportExpression[source.type!="Literal"]', message: 'core logic imports modules by literal name only, so the boundaries above can be checked'},
      ],
    },
  },
  // `ccmcp serve` and `ccmcp watch` are the oclif commands that start the other two surfaces;
  // the CLI's fast path starts `serve` too (src/cli/fast/serve.ts).
  {files: ['src/commands/**/*.ts'], rules: surfaceRules('commands', {mayImport: ['cli'], allowed: ['mcp/serve.js', 'tui/start.js', 'tui/plain.js']})},
  {files: ['src/cli/**/*.ts'], rules: surfaceRules('cli', {allowed: ['mcp/serve.js']})},
  {files: ['src/mcp/**/*.ts'], rules: surfaceRules('mcp')},
  {files: ['src/tui/**/*.ts', 'src/tui/**/*.tsx'], rules: surfaceRules('tui')},
)
