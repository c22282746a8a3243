import { describe, expect, it } from 'vitest';
import { clearSignals, keyToGateway } from '../../../../src/lib/decide/signals/signal-gateway.js';
import { freshState, type State } from '../../../../src/lib/store/state.js';
import { tree } from '../scenario.js';

/** A state whose signal timers run for the gateway pid 4242 started at tick 777 (tree()'s). */
const running: State = {
  ...freshState(),
  signalsOf: { pid: 4242, startTicks: 777 },
  memoryHighSince: 1000,
  memoryOverSince: 2000,
  childrenHighSince: 3000,
  lagChecks: 2,
};
const timers = (s: State) => {
  const { memoryHighSince, memoryOverSince, childrenHighSince, lagChecks, signalsOf } = s;
  return { memoryHighSince, memoryOverSince, childrenHighSince, lagChecks, signalsOf };
};
const cleared = {
  memoryHighSince: null,
  memoryOverSince: null,
  childrenHighSince: null,
  lagChecks: 0,
};

describe('keyToGateway: the signal timers belong to one gateway (pid + start time)', () => {
  it('the same gateway keeps its timers', () => {
    expect(keyToGateway(running, tree(100))).toBe(running);
  });

  it('a recycled pid (same pid, new start time) starts every timer afresh (signal-gateway: start time)', () => {
    const recycled = { ...tree(100), startTicks: 778 };
    expect(timers(keyToGateway(running, recycled))).toEqual({
      ...cleared,
      signalsOf: { pid: 4242, startTicks: 778 },
    });
  });

  it('another pid starts every timer afresh', () => {
    const other = { ...tree(100), pid: 4243 };
    expect(timers(keyToGateway(running, other))).toEqual({
      ...cleared,
      signalsOf: { pid: 4243, startTicks: 777 },
    });
  });

  it('no gateway named yet (after a check that was not healthy): names it and keeps the rest', () => {
    const unnamed = { ...running, signalsOf: null };
    expect(timers(keyToGateway(unnamed, tree(100)))).toEqual({
      ...timers(running),
      signalsOf: { pid: 4242, startTicks: 777 },
    });
  });

  it('no tree: nothing changes', () => {
    expect(keyToGateway(running, null)).toBe(running);
    expect(keyToGateway(running, undefined)).toBe(running);
  });

  it('a check that is not healthy clears the timers and the gateway they belong to', () => {
    expect(timers(clearSignals(running))).toEqual({ ...cleared, signalsOf: null });
  });
});
