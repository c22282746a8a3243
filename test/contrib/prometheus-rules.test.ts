import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/processes.js';
import { promtool, requireBinary } from '../helpers/prometheus.js';

const DIR = join(ROOT, 'contrib', 'prometheus');
const RULES = join(DIR, 'openclaw-watchdog.rules.yml');
const TESTS = join(DIR, 'openclaw-watchdog.rules.test.yml');
const PROMTOOL = requireBinary('promtool');

/** The alerts issue 21 asks for. */
const ALERTS = [
  'OpenClawGatewayDown',
  'OpenClawWatchdogStale',
  'OpenClawGatewaySafeMode',
  'OpenClawChannelDown',
  'OpenClawGatewayFlapping',
  'OpenClawBreakerRisk',
  'OpenClawMemoryNearCeiling',
  'OpenClawDiskLow',
  'OpenClawAlertsBacklog',
  'OpenClawUpdateStuck',
  'OpenClawVersionSkew',
];

/** Each rule's text, by alert name (the file is plain YAML: one `- alert:` per rule). */
const text = readFileSync(RULES, 'utf8');
const rules = text
  .split(/^ {6}- alert: /m)
  .slice(1)
  .map((chunk) => ({ alert: chunk.split('\n')[0]!.trim(), body: chunk }));
const field = (body: string, name: string) =>
  new RegExp(`^ {10}${name}: *(.+)$`, 'm').exec(body)?.[1]?.trim();

describe('alert rules', () => {
  it('every alert of the issue, each with a severity, summary, description and a runbook in docs/fleet.md', () => {
    expect(rules.map((r) => r.alert)).toEqual(ALERTS);
    const docs = readFileSync(join(ROOT, 'docs', 'fleet.md'), 'utf8');
    for (const r of rules) {
      expect(field(r.body, 'severity'), r.alert).toMatch(/^(page|warning|info)$/);
      expect(field(r.body, 'summary'), r.alert).toBeTruthy();
      expect(field(r.body, 'description'), r.alert).toBeTruthy();
      expect(field(r.body, 'runbook_url'), r.alert).toBe(`docs/fleet.md#${r.alert.toLowerCase()}`);
      // the anchor GitHub makes of the runbook's heading `### OpenClawGatewayDown`
      expect(docs, r.alert).toMatch(new RegExp(`^### ${r.alert}$`, 'm'));
    }
  });

  it('every alert has a promtool unit test with a case that fires and one that must not', () => {
    const cases = readFileSync(TESTS, 'utf8')
      .split(/^ {6}- eval_time: /m)
      .slice(1)
      .map((c) => ({
        alert: /alertname: (\w+)/.exec(c)![1]!,
        fires: !/exp_alerts: \[\]/.test(c),
      }));
    for (const alert of ALERTS) {
      const mine = cases.filter((t) => t.alert === alert);
      expect(
        mine.some((t) => t.fires),
        alert,
      ).toBe(true);
      expect(
        mine.some((t) => !t.fires),
        alert,
      ).toBe(true);
    }
  });
});

describe.skipIf(!PROMTOOL)('promtool', () => {
  it('check rules', () => {
    const r = promtool(PROMTOOL!, ['check', 'rules', RULES]);
    expect(r.output).toContain('SUCCESS: 11 rules found');
    expect(r.code).toBe(0);
  });

  it('test rules: series in, alerts out, every must-not-fire case', () => {
    const r = promtool(PROMTOOL!, ['test', 'rules', TESTS]);
    expect(r.output).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });
});
