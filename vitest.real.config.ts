import { defineConfig } from 'vitest/config';

// Opt-in suite against the real OpenClaw gateway (../shared/real-openclaw/install.sh).
export default defineConfig({
  test: {
    include: ['test/real/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
