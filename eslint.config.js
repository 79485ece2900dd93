// Boundaries are enforced here, not in prose: core never imports a surface, surfaces never
// import adapters (they go through runtime.ts), and nothing in src writes to the console.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

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
      'no-restricted-imports': ['error', {patterns: [
        {group: ['@oclif/*', 'ink', 'ink-*', 'react', '@modelcontextprotocol/*', '**/cli/*', '**/commands/*', '**/mcp/*', '**/tui/*'], message: 'core must not depend on a surface'},
      ]}],
    },
  },
  {
    files: ['src/core/ops/**/*.ts', 'src/core/*.ts'],
    // The composition roots: runtime.ts for every surface, minimal-runtime.ts for bin/hook.js.
    ignores: ['src/core/runtime.ts', 'src/core/minimal-runtime.ts'],
    rules: {
      'no-restricted-imports': ['error', {patterns: [
        {group: ['**/adapters/*', '**/adapters/**', 'node:child_process', 'conf', 'execa', 'proper-lockfile'], message: 'core logic reaches the outside only through ports; wire adapters in runtime.ts'},
        {group: ['@oclif/*', 'ink', 'react', '@modelcontextprotocol/*', '**/cli/*', '**/commands/*', '**/mcp/*', '**/tui/*'], message: 'core must not depend on a surface'},
      ]}],
    },
  },
  {
    files: ['src/commands/**/*.ts', 'src/mcp/**/*.ts', 'src/tui/**/*.ts', 'src/tui/**/*.tsx', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {patterns: [{group: ['**/core/adapters/*', '**/core/adapters/**'], message: 'surfaces reach adapters only through core/runtime.ts'}]}],
    },
  },
)
