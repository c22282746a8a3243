import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/processes.js';

const demoProcesses = () =>
  readdirSync('/proc').filter((e) => {
    try {
      return (
        /^\d+$/.test(e) && readFileSync(`/proc/${e}/environ`, 'latin1').includes('OCWD_DEMO_MARK=')
      );
    } catch {
      return false;
    }
  });

describe('npm run demo', () => {
  it('crashes a simulated gateway, recovers it, reaps its orphans, shows the events, and cleans up', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'demo.mjs')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/orphan: pid \d+ openclaw-message/);
    expect(r.stdout).toMatch(/orphans: 2 found, 2 reaped/);
    expect(r.stdout).toMatch(/restart: healthy after/);
    expect(r.stdout).toMatch(/gateway_recovered {2}downtimeSec=/);
    expect(r.stdout).toMatch(/Cleaned up: stopped \d+ demo process/);
    expect(demoProcesses()).toEqual([]);
  });
});
