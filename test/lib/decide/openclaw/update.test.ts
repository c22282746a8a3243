import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import { graceSec } from '../../../../src/lib/decide/liveness/backoff.js';
import {
  parseReplacement,
  replacementOf,
  updateGraceSec,
} from '../../../../src/lib/decide/openclaw/update.js';
import { names, reapBeforeRestart, restartAction, scenario, sec, gw } from '../scenario.js';
import { boot, REPLACED, seen } from './seen.js';

describe('an update replaced the installation (decide/openclaw/update.ts)', () => {
  it('reads versions from OpenClaw reason text; builds when the version is the same', () => {
    expect(parseReplacement(REPLACED)).toEqual({ from: '2026.9.6', to: '2026.9.7' });
    expect(
      parseReplacement(
        'Installation replaced: running 2026.9.6 build a1; on-disk 2026.9.6 build b2.',
      ),
    ).toEqual({ from: '2026.9.6 (a1)', to: '2026.9.6 (b2)' });
    expect(parseReplacement('gateway.installation_replaced')).toEqual({ from: null, to: null });
    // Real build ids (50+ characters) differ at their end: kept, and told apart.
    const real = '2026.9.6-release-eb377ac59e6c-2026-09-23T16-33-12.144Z';
    const same = parseReplacement(
      `Installation replaced: running 2026.9.6 build ${real}; on-disk 2026.9.6 build ${real}-ocwd-update.`,
    );
    expect(same.from).not.toBe(same.to);
    expect(same.to).toMatch(/^2026\.9\.6 \(….*-ocwd-update\)$/);
    expect(same.from!.length).toBeLessThanOrEqual(40);
    // The reason the real 2026.9.6 gateway recorded (test/real/update.test.ts), verbatim.
    const recorded = `gateway.installation_replaced: Installation replaced: running 2026.9.6 build ${real}; on-disk 2026.9.6 build ${real}-ocwd-update.; restart (SIGUSR2: gateway.installation_replaced: Installation replaced: running 2026.9.6 build ${real}; on-disk 2026.9.6 build 2026.9.6-release-eb377ac59e6c-2026-09-23T16-)`;
    expect(parseReplacement(recorded)).toEqual({
      from: '2026.9.6 (…e6c-2026-09-23T16-33-12.144Z)',
      to: '2026.9.6 (…23T16-33-12.144Z-ocwd-update)',
    });
    const long = `running ${'9'.repeat(90)} build x; on-disk ${'8'.repeat(90)} build y.`;
    expect(parseReplacement(long).to).toHaveLength(40);
  });

  it('only a planned_restart row with gateway.installation_replaced is an update; else the log line', () => {
    expect(replacementOf(seen({ lastBoot: boot({ completedAtMs: sec(5) }) }))).toMatchObject({
      at: sec(5),
      to: '2026.9.7',
    });
    for (const row of [
      boot({ outcome: 'clean_stop', reason: 'stop (SIGTERM)' }),
      boot({ outcome: null, completedAtMs: null, reason: null }),
      boot({ outcome: 'planned_restart', reason: 'restart (SIGUSR2)' }),
      boot({ outcome: 'startup_failed', reason: REPLACED }),
    ])
      expect(replacementOf(seen({ lastBoot: row }))).toBeNull();
    const line = { at: sec(3), text: `${sec(3)} [gateway] ${REPLACED.slice(31)}` };
    expect(replacementOf(seen({ replacedLine: line }))).toMatchObject({
      at: sec(3),
      to: '2026.9.7',
    });
    // A ledger row wins over the log: a clean stop after an old log line is no update.
    const clean = boot({ outcome: 'clean_stop', reason: 'stop (SIGTERM)' });
    expect(replacementOf(seen({ lastBoot: clean, replacedLine: line }))).toBeNull();
  });

  it('nothing listens after an update: started again at once, no gateway_down, no incident, no backoff step; once per replacement', () => {
    const s = scenario();
    s.check(0, 'healthy');
    const d = s.check(30, 'refused', {
      openclaw: seen({ lastBoot: boot({ completedAtMs: sec(25) }) }),
    });
    expect(d.status).toBe('updating');
    expect(d.exitCode).toBe(0);
    // Orphans reaped first, a booting gateway spared for the new version's longer grace.
    expect(d.actions).toEqual([{ ...reapBeforeRestart, graceSec: 600 }, restartAction('updated')]);
    expect(names(d.events)).toEqual([]);
    expect(d.state.incident).toBeNull();
    expect(d.state.restarts).toMatchObject({ consecutive: 0, total: 0, nextAllowedAt: null });
    expect(d.state.update).toMatchObject({ rowAt: sec(25), from: '2026.9.6', to: '2026.9.7' });
    // The start: gateway_updated instead of gateway_restart.
    const r = s.restarted(30, 'healthy', { reason: 'updated' });
    expect(names(r.events)).toEqual(['gateway_updated']);
    expect(r.events[0]).toMatchObject({ from: '2026.9.6', to: '2026.9.7', result: 'healthy' });
    // A crash right after: restarted at once (nothing in the backoff).
    const crash = s.check(60, 'refused', {
      openclaw: seen({
        lastBoot: boot({ outcome: null, completedAtMs: null, startedAtMs: sec(40) }),
      }),
    });
    expect(names(crash.events)).toEqual(['gateway_down']);
    expect(crash.actions).toEqual([reapBeforeRestart, restartAction('crashed')]);
  });

  it('the same replacement again (its start failed before a new boot row): the usual rules', () => {
    const s = scenario();
    const openclaw = seen({ lastBoot: boot({ completedAtMs: sec(25) }) });
    s.check(30, 'refused', { openclaw });
    s.restarted(30, 'failed', { reason: 'updated', exitCode: 1 });
    const again = s.check(60, 'refused', { openclaw });
    expect(names(again.events)).toContain('gateway_down');
    expect(again.actions.at(-1)).toEqual(restartAction('crashed'));
  });

  it('a gateway of ours still alive (not listening) is not an update: the usual rules', () => {
    const s = scenario();
    const d = s.check(30, 'refused', {
      gateways: [gw(7, 500)],
      openclaw: seen({ lastBoot: boot() }),
    });
    expect(d.status).not.toBe('updating');
  });

  it('its first start failing (exit 78) is one update_failed naming the update, not restart_failed; then the usual ones', () => {
    const s = scenario();
    s.check(30, 'refused', { openclaw: seen({ lastBoot: boot({ completedAtMs: sec(25) }) }) });
    const r = s.restarted(30, 'failed', { reason: 'updated', exitCode: 78 });
    expect(names(r.events)).toEqual(['update_failed']);
    expect(r.events[0]).toMatchObject({ to: '2026.9.7', exitCode: 78 });
    expect(String((r.events[0] as { hint?: string }).hint)).toContain('maintenance_required');
    const later = s.restarted(200, 'failed', { reason: 'crashed', exitCode: 78 });
    expect(names(later.events)).toEqual(['gateway_restart', 'restart_failed']);
  });

  it('the first boot of a new version gets update.startupGraceSec until it is first healthy', () => {
    const settings = defaultSettings();
    const s = scenario({ settings });
    s.check(30, 'refused', { openclaw: seen({ lastBoot: boot({ completedAtMs: sec(25) }) }) });
    expect(graceSec(settings, s.state)).toBe(600);
    s.restarted(30, 'pending', { reason: 'updated' });
    expect(graceSec(settings, s.state)).toBe(600);
    s.check(200, 'healthy');
    expect(graceSec(settings, s.state)).toBe(120);
  });

  it('a crash loop within update.maxSec of the update names it', () => {
    const settings = {
      ...defaultSettings(),
      restart: { ...defaultSettings().restart, baseDelaySec: 0 },
    };
    const s = scenario({ settings });
    s.check(0, 'refused', { openclaw: seen({ lastBoot: boot({ completedAtMs: sec(-5) }) }) });
    s.restarted(0, 'healthy', { reason: 'updated' });
    const loop = [];
    for (let i = 1; i <= 5; i++) {
      loop.push(...s.check(i * 20, 'refused').events);
      s.restarted(i * 20, 'healthy');
    }
    expect(loop.find((e) => e.event === 'crash_loop')).toMatchObject({ afterUpdate: '2026.9.7' });
  });
});

describe('the versions an update names, at their edges', () => {
  const same = (fromBuild: string, toBuild: string, version = '2026.9.6') =>
    parseReplacement(`running ${version} build ${fromBuild}; on-disk ${version} build ${toBuild}.`);

  it('a build that begins with its version is shown without it', () => {
    expect(same('2026.9.6-a', '2026.9.6-b')).toEqual({ from: '2026.9.6 (a)', to: '2026.9.6 (b)' });
    // One that merely ends with it is shown whole.
    expect(same('x-2026.9.6-', 'y-2026.9.6-')).toEqual({
      from: '2026.9.6 (x-2026.9.6-)',
      to: '2026.9.6 (y-2026.9.6-)',
    });
  });

  it('exactly 40 characters are kept whole; one more keeps the build’s end', () => {
    const b29 = 'b'.repeat(28);
    expect(same(`${b29}1`, `${b29}2`)).toEqual({
      from: `2026.9.6 (${b29}1)`,
      to: `2026.9.6 (${b29}2)`,
    });
    expect(same(`${b29}12`, `${b29}22`).to).toBe(`2026.9.6 (…${'b'.repeat(26)}22)`);
  });

  it('a version too long to leave 9 characters of build is cut at 40', () => {
    const v28 = `2026.${'9'.repeat(23)}`;
    expect(v28).toHaveLength(28);
    const r = same('aaaaaaaaaaaaaaaaaaaaX', 'aaaaaaaaaaaaaaaaaaaaY', v28);
    expect(r.from).toBe(`${v28} (aaaaaaaaaa`);
    expect(r.from).toHaveLength(40);
    const v27 = v28.slice(0, 27);
    expect(same('aaaaaaaaaaaaaaaaaaaaX', 'aaaaaaaaaaaaaaaaaaaaY', v27).to).toBe(
      `${v27} (…aaaaaaaaY)`,
    );
  });

  it('reads the text however it is spaced after the “;”, with or without its final dot', () => {
    expect(parseReplacement('running 1.0 build a;  on-disk 2.0 build b.')).toEqual({
      from: '1.0',
      to: '2.0',
    });
    expect(parseReplacement('running 1.0 build a; on-disk 2.0 build b')).toEqual({
      from: '1.0',
      to: '2.0',
    });
  });

  it('a planned restart without a reason is no update', () => {
    expect(replacementOf(seen({ lastBoot: boot({ reason: null }) }))).toBeNull();
  });

  it('the first boot of a new version has its grace until a check sees it healthy, even at the same ms', () => {
    const settings = { update: { startupGraceSec: 300 } };
    expect(updateGraceSec(settings, { update: { at: sec(10) }, lastHealthyAt: null })).toBe(300);
    expect(updateGraceSec(settings, { update: { at: sec(10) }, lastHealthyAt: sec(9) })).toBe(300);
    expect(updateGraceSec(settings, { update: { at: sec(10) }, lastHealthyAt: sec(10) })).toBe(0);
    expect(updateGraceSec(settings, { update: null, lastHealthyAt: null })).toBe(0);
  });
});
