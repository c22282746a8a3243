import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/processes.js';

/** README.md and docs/*.md as one text: a fact may move between them. */
const docs = [
  readFileSync(join(ROOT, 'README.md'), 'utf8'),
  ...(existsSync(join(ROOT, 'docs'))
    ? readdirSync(join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => readFileSync(join(ROOT, 'docs', f), 'utf8'))
    : []),
]
  .join('\n')
  .replace(/\s+/g, ' ');

describe('the docs say what a user needs to know', () => {
  it('openclaw gateway stop --force refuses a non-default HOME or state dir: pause is the way there', () => {
    expect(docs).toMatch(/refuses `openclaw gateway stop --force` \("service management skipped/);
    expect(docs).toMatch(/there, `pause` is the way to stop it on purpose/);
  });

  it('npm test never edits the crontab; the real crontab tests are asked for; the suite time is stated', () => {
    expect(docs).toContain('`npm test` never edits your crontab');
    expect(docs).toContain('OCWD_REAL_CRONTAB=1');
    expect(docs).toMatch(/the whole `npm test` took \d+ s/);
    expect(docs).not.toContain('(about a minute)');
  });
});
