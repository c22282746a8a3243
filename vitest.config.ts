import { defineConfig } from 'vitest/config';

// Process-heavy suites (test/**/*.e2e.test.ts) start real gateways, checks and orphans; they run
// one file at a time so that they never fight over ports and CPU on a 2-core machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/real/**'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
  },
});
