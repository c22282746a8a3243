import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA } from '../src/lib/config/schema.js';
import { ROOT } from './helpers/processes.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const configuration = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');

/** Relative Markdown links of a page, as paths from the repository root (anchors dropped). */
function links(page: string, text: string): string[] {
  return [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
    .map((m) => m[1]!)
    .filter((l) => !/^[a-z]+:/.test(l))
    .map((l) => join(dirname(page), l));
}

describe('README', () => {
  it('opens with the two commands that work on a fresh clone', () => {
    expect(readme).toContain('npm install && npm run demo');
    expect(readme).toContain('npm test');
  });

  it('is a front door: under 200 lines, ending the set-up in doctor', () => {
    expect(readme.split('\n').length).toBeLessThan(200);
    expect(readme).toContain('openclaw-watchdog doctor');
  });

  it('links every page of docs/, and every link of README and docs/ leads to a file', () => {
    const pages = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));
    const fromReadme = links('README.md', readme);
    for (const page of pages) expect(fromReadme, page).toContain(join('docs', page));
    for (const page of ['README.md', ...pages.map((p) => join('docs', p))]) {
      const text = readFileSync(join(ROOT, page), 'utf8');
      for (const target of links(page, text))
        expect(existsSync(join(ROOT, target)), `${page} links ${target}`).toBe(true);
    }
  });
});

describe('docs/configuration.md', () => {
  it('documents every configuration key with its default', () => {
    for (const [section, keys] of Object.entries(SCHEMA)) {
      for (const [key, spec] of Object.entries(keys)) {
        const row = configuration
          .split('\n')
          .find((l) => new RegExp(`^\\|\\s*\`${section}\\.${key}\`\\s*\\|`).test(l));
        expect(row, `${section}.${key}`).toBeDefined();
        if (spec.default !== null && !(Array.isArray(spec.default) && spec.default.length === 0)) {
          expect(row, `${section}.${key} default`).toContain(JSON.stringify(spec.default));
        }
      }
    }
  });
});
