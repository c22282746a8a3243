import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA } from '../src/lib/config/schema.js';
import { ROOT } from './helpers/processes.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('documents every configuration key with its default', () => {
    for (const [section, keys] of Object.entries(SCHEMA)) {
      for (const [key, spec] of Object.entries(keys)) {
        const row = readme
          .split('\n')
          .find((l) => new RegExp(`^\\|\\s*\`${section}\\.${key}\`\\s*\\|`).test(l));
        expect(row, `${section}.${key}`).toBeDefined();
        if (spec.default !== null && !(Array.isArray(spec.default) && spec.default.length === 0)) {
          expect(row, `${section}.${key} default`).toContain(JSON.stringify(spec.default));
        }
      }
    }
  });

  it('opens with the two commands that work on a fresh clone', () => {
    expect(readme).toContain('npm install && npm run demo');
    expect(readme).toContain('npm test');
  });
});
