import { describe, expect, it } from 'vitest';
import { diagnose, doctorExit, formatFindings } from '../../../src/lib/doctor/run.js';
import type { DoctorFacts, Finding } from '../../../src/lib/doctor/types.js';
import { goodFacts, NOW } from './facts.js';

const find = (facts: DoctorFacts, id: string): Finding => {
  const f = diagnose(facts).find((x) => x.id === id);
  if (!f) throw new Error(`no finding ${id}`);
  return f;
};

describe('doctor: a right set-up', () => {
  it('every check ok, exit 0, one line per check', () => {
    const findings = diagnose(goodFacts());
    expect(findings.filter((f) => f.status !== 'ok')).toEqual([]);
    expect(doctorExit(findings)).toBe(0);
    const text = formatFindings(findings);
    expect(text.trim().split('\n')).toHaveLength(findings.length + 1);
    expect(text).toContain('all good');
  });

  it('warnings alone exit 0; a fail exits 1; every not-ok line carries its fix', () => {
    const warned = diagnose(goodFacts({ notify: { ...goodFacts().notify, heartbeat: null } }));
    expect(doctorExit(warned)).toBe(0);
    const failed = diagnose(goodFacts({ configError: 'config.json: probe.timeoutMs: expected…' }));
    expect(doctorExit(failed)).toBe(1);
    for (const f of [...warned, ...failed].filter((x) => x.status !== 'ok'))
      expect(f.fix, f.id).toBeTruthy();
    expect(formatFindings(failed)).toMatch(/^fail {2}config invalid: .*; fix: fix that key in /m);
  });
});

describe('doctor: cron', () => {
  it('no block: fail, fix install-cron with the same flags', () => {
    const f = find(
      goodFacts({ fixFlags: ' --profile b', cron: { ...goodFacts().cron, block: null } }),
      'cron.block',
    );
    expect(f).toMatchObject({ status: 'fail', fix: 'openclaw-watchdog install-cron --profile b' });
  });
  it('a block edited by hand or from another version: warn', () => {
    const cron = goodFacts().cron;
    const f = find(
      goodFacts({ cron: { ...cron, block: { ...cron.block!, entries: ['* * * * * old'] } } }),
      'cron.block',
    );
    expect(f.status).toBe('warn');
    expect(f.message).toContain('does not run');
  });
  it('the old single-block form: warn', () => {
    const cron = goodFacts().cron;
    expect(
      find(goodFacts({ cron: { ...cron, block: { ...cron.block!, legacy: true } } }), 'cron.block')
        .status,
    ).toBe('warn');
  });
  it('crontab cannot be read: fail naming the package', () => {
    const f = find(
      goodFacts({ cron: { ...goodFacts().cron, crontabError: 'crontab not found' } }),
      'cron.block',
    );
    expect(f.status).toBe('fail');
    expect(f.fix).toContain('apt-get install cron');
  });
  it('no cron daemon: fail; /proc unreadable: warn', () => {
    const cron = goodFacts().cron;
    expect(find(goodFacts({ cron: { ...cron, daemons: [] } }), 'cron.daemon')).toMatchObject({
      status: 'fail',
    });
    expect(find(goodFacts({ cron: { ...cron, daemons: null } }), 'cron.daemon').status).toBe(
      'warn',
    );
  });
  it('launcher missing, not executable, foreign, failing, another version', () => {
    const l = goodFacts().launcher;
    const at = (launcher: Partial<typeof l>) =>
      find(goodFacts({ launcher: { ...l, ...launcher } }), 'cron.launcher');
    expect(at({ exists: false }).status).toBe('fail');
    expect(at({ executable: false }).status).toBe('fail');
    expect(at({ node: null }).status).toBe('fail');
    const moved = at({ run: { ok: false, output: 'spawn /old/node ENOENT' } });
    expect(moved.status).toBe('fail');
    expect(moved.message).toContain('spawn /old/node ENOENT');
    expect(at({ run: { ok: true, output: '0.0.9' } })).toMatchObject({ status: 'warn' });
  });
  it('no check within 3 cadences: fail "no check for N min: is cron running?"', () => {
    const f = find(goodFacts({ lastCheckAt: NOW - 10 * 60_000 }), 'cron.last-check');
    expect(f.status).toBe('fail');
    expect(f.message).toMatch(/^no check for 10 min: is cron running\?/);
    expect(find(goodFacts({ lastCheckAt: NOW - 80_000 }), 'cron.last-check').status).toBe('ok');
    // 3 cadences of 5 min
    expect(
      find(goodFacts({ everySec: 300, lastCheckAt: NOW - 10 * 60_000 }), 'cron.last-check').status,
    ).toBe('ok');
  });
  it('never checked: warn right after install-cron, fail long after', () => {
    const l = goodFacts().launcher;
    expect(
      find(
        goodFacts({ lastCheckAt: null, launcher: { ...l, writtenAt: NOW - 5000 } }),
        'cron.last-check',
      ).status,
    ).toBe('warn');
    expect(find(goodFacts({ lastCheckAt: null }), 'cron.last-check').status).toBe('fail');
  });
});

describe('doctor: gateway', () => {
  const probe = goodFacts().probe;
  it('does not answer: fail with what the probe saw', () => {
    const f = find(
      goodFacts({ probe: { ...probe, verdict: 'refused', reason: 'nothing listens on the port' } }),
      'gateway.answers',
    );
    expect(f.status).toBe('fail');
    expect(f.message).toContain('nothing listens on the port');
  });
  it('starting, stopped by the user, paused: warn', () => {
    expect(
      find(goodFacts({ probe: { ...probe, verdict: 'starting' } }), 'gateway.answers').status,
    ).toBe('warn');
    const down = { ...probe, verdict: 'refused' as const };
    expect(find(goodFacts({ probe: down, stoppedByUser: true }), 'gateway.answers').status).toBe(
      'warn',
    );
    expect(
      find(goodFacts({ probe: down, paused: { until: NOW + 60_000 } }), 'gateway.answers').fix,
    ).toBe('openclaw-watchdog resume');
  });
  it('not OpenClaw on the port: fail', () => {
    expect(
      find(goodFacts({ probe: { ...probe, verdict: 'not-openclaw' } }), 'gateway.answers').status,
    ).toBe('fail');
  });
  it('no token: warn naming the signals that are off; auth none: ok; mismatch: fail', () => {
    const none = find(
      goodFacts({ token: { known: false, authMode: null, source: null } }),
      'gateway.token',
    );
    expect(none.status).toBe('warn');
    expect(none.message).toContain('channel checks (channels.status)');
    expect(none.message).toContain('memory restart (gateway.restart.request)');
    expect(
      find(goodFacts({ token: { known: false, authMode: 'none', source: null } }), 'gateway.token')
        .status,
    ).toBe('ok');
    const ws = { ...probe.steps.ws!, connect: 'AUTH_TOKEN_MISMATCH' };
    expect(find(goodFacts({ probe: { ...probe, steps: { ws } } }), 'gateway.token').status).toBe(
      'fail',
    );
  });
});

describe("doctor: starting the gateway (the restart's own proof)", () => {
  it("no start possible: fail with the proof's error and fix", () => {
    const f = find(
      goodFacts({
        start: {
          ok: false,
          method: 'openclaw',
          error: '/x/openclaw --version failed (exit 1): Node 20: node:sqlite is unavailable',
          fix: 'make `/x/openclaw --version` work with PATH /usr/bin:/bin (OpenClaw needs Node 24 beside it)',
        },
      }),
      'gateway.start',
    );
    expect(f.status).toBe('fail');
    expect(f.message).toContain('node:sqlite');
    expect(f.fix).toContain('OpenClaw needs Node 24');
  });
  it('a start proved: ok, naming the method and the proof', () => {
    const f = find(
      goodFacts({ start: { ok: true, method: 'systemd', proof: 'openclaw-gateway.service' } }),
      'gateway.start',
    );
    expect(f).toMatchObject({
      status: 'ok',
      message: 'the systemd user unit starts the gateway (openclaw-gateway.service)',
    });
  });
});

describe('doctor: alerts, disk, OpenClaw', () => {
  const n = goodFacts().notify;
  it('no alert channel: warn suggesting notify test; undelivered alerts: warn', () => {
    const f = find(goodFacts({ notify: { ...n, webhooks: 0 } }), 'notify.channels');
    expect(f.status).toBe('warn');
    expect(f.fix).toContain('openclaw-watchdog notify test');
    expect(find(goodFacts({ notify: { ...n, outbox: 2 } }), 'notify.channels').status).toBe('warn');
  });
  it('no heartbeat: warn "nothing would notice if this watchdog stopped"', () => {
    const f = find(goodFacts({ notify: { ...n, heartbeat: null } }), 'notify.heartbeat');
    expect(f.status).toBe('warn');
    expect(f.message).toContain('nothing would notice if this watchdog stopped');
  });
  it('the last ping of the heartbeat failed: warn with its error', () => {
    const f = find(goodFacts({ notify: { ...n, heartbeatError: 'HTTP 404' } }), 'notify.heartbeat');
    expect(f.status).toBe('warn');
    expect(f.message).toContain('HTTP 404');
  });
  it('disk low: warn', () => {
    const d = goodFacts().disk;
    expect(find(goodFacts({ disk: { ...d, low: d.filesystems } }), 'disk').status).toBe('warn');
  });
  it('safe mode (readyz suppressed, or the saved status), maintenance lock, unclean boots: warn', () => {
    const o = goodFacts().openclaw;
    const safe = find(
      goodFacts({ openclaw: { ...o, suppressed: ['telegram'] } }),
      'openclaw.safe-mode',
    );
    expect(safe.status).toBe('warn');
    expect(safe.message).toContain('telegram');
    expect(
      find(
        goodFacts({ openclaw: { ...o, savedSafeModeSince: NOW - 60_000 } }),
        'openclaw.safe-mode',
      ).status,
    ).toBe('warn');
    expect(
      find(
        goodFacts({ openclaw: { ...o, lockRole: { role: 'sqlite-maintenance', pid: 9 } } }),
        'openclaw.maintenance',
      ).status,
    ).toBe('warn');
    expect(
      find(goodFacts({ openclaw: { ...o, atWork: 'updating' } }), 'openclaw.maintenance').status,
    ).toBe('warn');
    // the probe's verdict is never 'updating': what the check left alone is state.maintenance
    expect(
      find(
        goodFacts({ openclaw: { ...o, lastVerdict: 'refused', atWork: 'maintenance' } }),
        'openclaw.maintenance',
      ).message,
    ).toContain('in maintenance');
    expect(
      find(goodFacts({ openclaw: { ...o, breakerTripped: true } }), 'openclaw.safe-mode').status,
    ).toBe('warn');
    const unknown = find(
      goodFacts({
        openclaw: { ...o, uncleanBoots: null, ledgerError: 'node:sqlite is not available' },
      }),
      'openclaw.unclean-boots',
    );
    expect(unknown).toMatchObject({ status: 'ok' });
    expect(unknown.message).toContain('node:sqlite is not available');
    const boots = find(
      goodFacts({ openclaw: { ...o, uncleanBoots: 2 } }),
      'openclaw.unclean-boots',
    );
    expect(boots.status).toBe('warn');
    expect(boots.message).toContain('2 unclean boot(s)');
  });
});
