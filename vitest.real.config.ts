import { defineConfig } from 'vitest/config';

// Opt-in suite against the real OpenClaw gateway (../shared/real-openclaw/install.sh), and the
// crontab tests against this user's real crontab (OCWD_REAL_CRONTAB=1, set by `npm run test:real`).
export default defineConfig({
  test: {
    include: ['test/real/**/*.test.ts', 'test/cron.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
