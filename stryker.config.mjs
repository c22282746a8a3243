// Mutation testing of the pure modules whose mistake would kill, start, stop or stay silent
// (issue 23). `npm run mutate`; the README's Development section says how to read a survivor.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner', './scripts/stryker-message-text.mjs'],
  // Message text for people in the decision core is not mutated (its wording decides nothing; see
  // the plugin). Every other string, and every string outside src/lib/decide/, is.
  ignorers: ['message-text'],
  // related: a static mutant (a module-level table, redact's patterns) runs only the test files that
  // import its file, not all of them.
  vitest: { configFile: 'vitest.stryker.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/lib/decide/**/*.ts',
    'src/lib/procs/attribute.ts',
    'src/lib/procs/gateway-lock.ts',
    'src/lib/procs/ours.ts',
    'src/lib/orphans/classify.ts',
    'src/lib/cron/block.ts',
    'src/lib/redact.ts',
    'src/lib/config/validate*.ts',
    // The event names a channel's `events` list may hold and the outbox keeps, and which events
    // alert by default (describe.ts's ALERTS table only, not its message text): a mistake in
    // either silences an alert.
    'src/lib/config/event-names.ts',
    'src/lib/store/event-names.ts',
    'src/lib/notify/describe.ts:11-76',
  ],
  concurrency: 2,
  incremental: false,
  thresholds: { high: 95, low: 90, break: 90 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
