import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  defaultSettings,
  SCHEMA,
  type Settings,
  type Webhook,
} from '../../../src/lib/config/schema.js';

describe('Settings is derived from the schema table', () => {
  it('types each key from its kind: nullable adds null, an enum is its literal values', () => {
    expectTypeOf<Settings['gateway']['port']>().toEqualTypeOf<number | null>();
    expectTypeOf<Settings['gateway']['host']>().toEqualTypeOf<string>();
    expectTypeOf<Settings['restart']['command']>().toEqualTypeOf<string[] | null>();
    expectTypeOf<Settings['orphans']['patterns']>().toEqualTypeOf<string[]>();
    expectTypeOf<Settings['orphans']['action']>().toEqualTypeOf<'reap' | 'report'>();
    expectTypeOf<Settings['notify']['webhooks']>().toEqualTypeOf<Webhook[]>();
    expectTypeOf<Settings['notify']['remindAfterSec']>().toEqualTypeOf<number | null>();
    expectTypeOf<keyof Settings>().toEqualTypeOf<keyof typeof SCHEMA>();
  });

  it('defaults hold every key of the table, and nothing else', () => {
    const defaults = defaultSettings() as Record<string, Record<string, unknown>>;
    expect(Object.keys(defaults)).toEqual(Object.keys(SCHEMA));
    for (const [section, keys] of Object.entries(SCHEMA))
      expect(Object.keys(defaults[section]!)).toEqual(Object.keys(keys));
    expect(defaults.orphans!.patterns).toEqual(['openclaw-*']);
    expect(defaultSettings().orphans.patterns).not.toBe(defaultSettings().orphans.patterns);
  });
});
