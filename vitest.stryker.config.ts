import { defineConfig } from 'vitest/config';

// The fast, process-free unit tests that pin the pure modules `npm run mutate` mutates
// (stryker.config.mjs). Stryker runs only the tests that cover each mutant (perTest coverage),
// so nothing here may start a process, open a port or wait: e2e and real suites stay out.
export default defineConfig({
  test: {
    include: [
      'test/lib/decide/**/*.test.ts',
      'test/lib/procs/attribute.test.ts',
      'test/lib/procs/ours.test.ts',
      'test/lib/procs/gateway-lock.test.ts',
      'test/lib/channels/channels-misc.test.ts',
      'test/lib/orphans/classify.test.ts',
      'test/lib/cron/block.test.ts',
      'test/lib/redact.test.ts',
      'test/lib/config/**/*.test.ts',
      'test/lib/store/event-names.test.ts',
      'test/lib/notify/alert-events.test.ts',
    ],
    exclude: ['test/real/**', 'test/**/*.e2e.test.ts'],
    testTimeout: 10_000,
  },
});
