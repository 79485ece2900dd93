import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // oclif writes through process.stdout; without this runCommand sees ''.
    disableConsoleIntercept: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real tmux servers and child processes: two cores, keep parallelism modest.
    maxWorkers: 2,
  },
})
