import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../src/lib/config/schema.js';
import { noteStartNearBreaker } from '../../../../src/lib/decide/openclaw/breaker.js';
import type { Action, Decision } from '../../../../src/lib/decide/types.js';
import type { EventOf } from '../../../../src/lib/store/event-types.js';
import { freshState } from '../../../../src/lib/store/state.js';
import {
  gatewayOwner,
  gw,
  names,
  obs,
  reapBeforeRestart,
  restartAction,
  scenario,
  sec,
} from '../scenario.js';
import { ledger, row } from './ledger.js';

describe('before a start: the unclean boots in OpenClaw ledger', () => {
  it('merely down with 3 unclean boots: waits until the oldest leaves the window, then starts', () => {
    const s = scenario();
    const three = ledger([row(0, { pid: 1 }), row(20, { pid: 2 }), row(40, { pid: 3 })]);
    const d = s.check(60, 'refused', { bootLedger: three });
    expect(d.status).toBe('down');
    expect(d.actions).toEqual([]);
    expect(names(d.events)).toEqual(['gateway_down', 'waiting']);
    expect(d.events[1]).toMatchObject({ reason: 'breaker_window' });
    expect(d.detail).toContain(new Date(sec(300)).toISOString());
    // Said once per stretch.
    expect(s.check(90, 'refused', { bootLedger: three }).events).toEqual([]);
    // At 301 s the 0 s row has left: two remain, the start goes ahead and says so.
    const two = ledger([row(20, { pid: 2 }), row(40, { pid: 3 })]);
    const go = s.check(301, 'refused', { bootLedger: two });
    expect(go.actions).toEqual([reapBeforeRestart, restartAction('crashed')]);
    expect(names(go.events)).toEqual(['start_near_breaker']);
    expect(go.events[0] as EventOf<'start_near_breaker'>).toMatchObject({
      uncleanBoots: 2,
      reason: 'crashed',
      clearsAt: new Date(sec(340)).toISOString(),
    });
  });

  it('a gateway that does not answer is stopped anyway (waiting helps nothing), said', () => {
    const s = scenario();
    const three = ledger([row(0, { pid: 1 }), row(20, { pid: 2 }), row(40, { pid: 3 })]);
    const portOwner = gatewayOwner(7, 70);
    s.check(45, 'healthy');
    s.check(50, 'unresponsive', { gateways: [gw(7, 300)], portOwner, bootLedger: three });
    const d = s.check(111, 'unresponsive', {
      gateways: [gw(7, 361)],
      portOwner,
      bootLedger: three,
    });
    expect(d.actions.map((a) => a.type)).toEqual(['stop', 'reap-orphans', 'restart']);
    expect(names(d.events)).toContain('start_near_breaker');
  });

  it('fewer than 2, no ledger, or an unreadable one: starts at once, says nothing', () => {
    for (const bootLedger of [
      ledger([row(40, { pid: 3 })]),
      undefined,
      { ok: false as const, reason: 'no node:sqlite' },
    ]) {
      const d = scenario().check(60, 'refused', bootLedger ? { bootLedger } : {});
      expect(d.actions).toEqual([reapBeforeRestart, restartAction('crashed')]);
      expect(names(d.events)).toEqual(['gateway_down']);
    }
  });

  it('a start held by backoff says nothing about the breaker (no start is made)', () => {
    const s = scenario();
    const two = ledger([row(20, { pid: 2 }), row(40, { pid: 3 })]);
    s.check(60, 'refused', { bootLedger: two });
    s.restarted(60, 'failed');
    const d = s.check(61, 'refused', { bootLedger: two });
    expect(d.actions).toEqual([]);
    expect(names(d.events)).not.toContain('start_near_breaker');
  });
});

describe('the breaker window edges', () => {
  const three = ledger([row(0, { pid: 1 }), row(20, { pid: 2 }), row(40, { pid: 3 })]);

  it('the start waits until the very ms the oldest unclean boot leaves, not one less', () => {
    // A ledger read a moment earlier may still count the row that leaves now.
    const before = scenario().check(299.999, 'refused', { bootLedger: three });
    expect(before.actions).toEqual([]);
    expect(before.events[1]).toMatchObject({ event: 'waiting', reason: 'breaker_window' });
    const at = scenario().check(300, 'refused', { bootLedger: three });
    expect(at.actions).toEqual([reapBeforeRestart, restartAction('crashed')]);
  });

  it('a ledger counting more boots than it dates fails open: started at once', () => {
    if (!three?.ok) throw new Error('a readable ledger');
    const undated = { ok: true as const, value: { ...three.value, uncleanLeaveAtMs: [] } };
    const d = scenario().check(60, 'refused', { bootLedger: undated });
    expect(d.actions).toEqual([reapBeforeRestart, restartAction('crashed')]);
  });

  it('start_near_breaker is a warning', () => {
    const two = ledger([row(20, { pid: 2 }), row(40, { pid: 3 })]);
    const d = scenario().check(60, 'refused', { bootLedger: two });
    expect(d.events.find((e) => e.event === 'start_near_breaker')).toMatchObject({
      level: 'warn',
    });
  });

  it('only a decision that starts the gateway is noted: reaping alone is not a start', () => {
    const two = ledger([row(20, { pid: 2 }), row(40, { pid: 3 })]);
    const stepWith = () => ({
      settings: defaultSettings(),
      obs: obs(60, 'refused', { bootLedger: two }),
      now: sec(60),
      state: freshState(),
      events: [],
      slackMs: 0,
    });
    const decision = (actions: Action[]): Decision => ({
      status: 'down',
      detail: '',
      actions,
      events: [],
      state: freshState(),
      exitCode: 1,
    });
    const reapOnly = decision([reapBeforeRestart as Action]);
    noteStartNearBreaker(stepWith(), reapOnly, 'crashed');
    expect(reapOnly.events).toEqual([]);
    const startOnly = decision([restartAction('crashed') as Action]);
    noteStartNearBreaker(stepWith(), startOnly, 'crashed');
    expect(names(startOnly.events)).toEqual(['start_near_breaker']);
  });
});
