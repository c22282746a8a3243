import { describe, expect, it } from 'vitest';
import {
  CrontabMarkerError,
  LEGACY_BEGIN,
  LEGACY_END,
  beginMarker,
  blockEvery,
  cronQuote,
  endMarker,
  parseCrontab,
  renderBlock,
  replaceBlock,
  shQuote,
} from '../../../src/lib/cron/block.js';

const FOREIGN =
  'MAILTO=me@example.test\n# my backups\n0 3 * * *   /usr/local/bin/backup  --all\n\n@reboot echo hi\t# tab\n';
const A = '/home/me/.openclaw';
const B = '/home/me/.openclaw-b';

/** Installs (or with null removes) the block of `dir`, as install-cron does. */
function put(text: string, dir: string, block: string | null): string {
  const parsed = parseCrontab(text);
  return replaceBlock(
    parsed,
    parsed.blocks.find((b) => b.stateDir === dir),
    block,
  );
}

describe('crontab blocks', () => {
  const block = renderBlock(A, '/x/cron-check.sh', '30s');

  it('30 s is two entries, the second behind sleep 30; other cadences one entry', () => {
    expect(block).toBe(
      `${beginMarker(A)}\n* * * * * /x/cron-check.sh\n* * * * * sleep 30; /x/cron-check.sh\n${endMarker(A)}\n`,
    );
    expect(renderBlock(A, 'c', '1m')).toContain('\n* * * * * c\n');
    expect(renderBlock(A, 'c', '2m')).toContain('\n*/2 * * * * c\n');
    expect(renderBlock(A, 'c', '5m')).toContain('\n*/5 * * * * c\n');
    for (const every of ['30s', '1m', '2m', '5m'] as const)
      expect(blockEvery(parseCrontab(renderBlock(A, 'c', every)).blocks[0]!)).toBe(every);
  });

  it('installing twice leaves one block; every foreign line stays byte for byte', () => {
    const once = put(FOREIGN, A, block);
    const twice = put(once, A, renderBlock(A, '/y/cron-check.sh', '1m'));
    expect(parseCrontab(twice).blocks).toHaveLength(1);
    expect(twice.startsWith(FOREIGN)).toBe(true);
    expect(twice).toContain('/y/cron-check.sh');
    expect(twice).not.toContain('/x/cron-check.sh');
    expect(put(twice, A, null)).toBe(FOREIGN);
  });

  it('one block per state dir: each replaced and removed on its own', () => {
    const both = put(put(FOREIGN, A, block), B, renderBlock(B, '/b/cron-check.sh', '2m'));
    expect(parseCrontab(both).blocks.map((b) => b.stateDir)).toEqual([A, B]);
    const replacedB = put(both, B, renderBlock(B, '/b2/cron-check.sh', '5m'));
    expect(replacedB).toContain(block);
    expect(replacedB).not.toContain('/b/cron-check.sh');
    expect(put(replacedB, B, null)).toBe(FOREIGN + block);
    expect(put(put(replacedB, A, null), B, null)).toBe(FOREIGN);
  });

  it('keeps lines after the block in place, and handles an empty crontab or one without a final newline', () => {
    const middle = put('a\n', A, block) + 'b\n';
    expect(put(put(middle, A, block), A, null)).toBe('a\nb\n');
    expect(put('', A, block)).toBe(block);
    expect(put('x', A, block)).toBe(`x\n${block}`);
    expect(put('no block here\n', A, null)).toBe('no block here\n');
    expect(put(block.slice(0, -1), A, null)).toBe('');
  });

  it('a commented-out block is not ours: removing leaves every line as it was', () => {
    const commented = `${FOREIGN}${block
      .trimEnd()
      .split('\n')
      .map((l) => `# ${l}`)
      .join('\n')}\n*/5 * * * * /usr/bin/live-job\n`;
    expect(parseCrontab(commented).blocks).toEqual([]);
    expect(put(commented, A, null)).toBe(commented);
    expect(put(commented, A, block)).toBe(commented + block);
  });

  it('unbalanced markers are refused with the line number; nothing is returned to write', () => {
    const noEnd = `${beginMarker(A)}\n* * * * * /x/cron-check.sh\nMAILTO=ops@example.test\n0 1 * * * /usr/bin/true\n`;
    expect(() => parseCrontab(noEnd)).toThrow(CrontabMarkerError);
    expect(() => parseCrontab(noEnd)).toThrow(
      `your crontab: line 1: a openclaw-watchdog (state dir ${A}) start marker without its end marker; fix it by hand (crontab -e), nothing was changed`,
    );
    expect(() => parseCrontab(`x\n${endMarker(A)}\n`)).toThrow(/line 2: .* end marker without/);
    expect(() => parseCrontab(`${beginMarker(A)}\n${endMarker(B)}\n`)).toThrow(/does not match/);
    expect(() => parseCrontab(`${beginMarker(A)}\n${beginMarker(B)}\n`)).toThrow(
      /inside the block/,
    );
    expect(() => parseCrontab(block + block)).toThrow(/line 5: a second/);
    expect(() => parseCrontab(`${LEGACY_BEGIN}\n${endMarker(A)}\n`)).toThrow(/does not match/);
  });

  it('a CRLF crontab: its block is found and replaced, foreign CRLF lines kept byte for byte', () => {
    const crlf = `MAILTO=x\r\n${block.replace(/\n/g, '\r\n')}0 1 * * * /usr/bin/true\r\n`;
    const after = put(crlf, A, renderBlock(A, '/z/cron-check.sh', '1m'));
    expect(parseCrontab(after).blocks).toHaveLength(1);
    expect(after).toBe(
      `MAILTO=x\r\n${renderBlock(A, '/z/cron-check.sh', '1m')}0 1 * * * /usr/bin/true\r\n`,
    );
  });

  it('the old single-block markers are read as one block without a state dir', () => {
    const old = `${FOREIGN}${LEGACY_BEGIN}\n* * * * * PATH=/a /n /c.js check\n${LEGACY_END}\n`;
    const [b] = parseCrontab(old).blocks;
    expect(b).toMatchObject({ stateDir: null, entries: ['* * * * * PATH=/a /n /c.js check'] });
    expect(replaceBlock(parseCrontab(old), b, block)).toBe(FOREIGN + block);
  });

  it('quotes for sh, and for cron also escapes % (cron turns it into a newline)', () => {
    expect(shQuote('/usr/bin/node')).toBe('/usr/bin/node');
    expect(shQuote("/home/o'neil/bin")).toBe(`'/home/o'\\''neil/bin'`);
    expect(shQuote('/a b/100%')).toBe(`'/a b/100%'`);
    expect(cronQuote('/a b/100%')).toBe(`'/a b/100\\%'`);
  });
});

describe('crontab blocks: what a mistake there would break', () => {
  it('an unbalanced crontab is a CrontabMarkerError by name (exit 2, one line), with both line numbers', () => {
    const inside = `x\n${beginMarker(A)}\n${beginMarker(B)}\n`;
    let caught: unknown;
    try {
      parseCrontab(inside);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CrontabMarkerError);
    expect((caught as Error).name).toBe('CrontabMarkerError');
    expect((caught as Error).message).toBe(
      `your crontab: line 3: a openclaw-watchdog (state dir ${B}) start marker inside the block opened on line 2; fix it by hand (crontab -e), nothing was changed`,
    );
    expect(() => parseCrontab(`x\n${beginMarker(A)}\n${endMarker(B)}\n`)).toThrow(
      `your crontab: line 3: the end marker does not match the openclaw-watchdog (state dir ${A}) start marker on line 2;`,
    );
  });

  it('the old block is named without a state dir in errors', () => {
    expect(() => parseCrontab(`${LEGACY_BEGIN}\n* * * * * c\n`)).toThrow(
      'your crontab: line 1: a openclaw-watchdog start marker without its end marker;',
    );
    expect(() => parseCrontab(`${LEGACY_END}\n`)).toThrow(
      'your crontab: line 1: a openclaw-watchdog end marker without its start marker;',
    );
  });

  it('a marker with trailing blanks still counts; an indented one does not', () => {
    expect(
      parseCrontab(`${beginMarker(A)}  \t\n* * * * * c\n${endMarker(A)}\t\n`).blocks,
    ).toHaveLength(1);
    expect(parseCrontab(` ${beginMarker(A)}\n* * * * * c\n ${endMarker(A)}\n`).blocks).toEqual([]);
  });

  it('the cadence is read from the first entry that is no comment and not indented', () => {
    const every = (...entries: string[]) =>
      blockEvery({ stateDir: A, begin: 0, end: entries.length + 1, entries });
    expect(every('# managed', '*/5 * * * * c')).toBe('5m');
    expect(every('  indented', '* * * * * c')).toBe('1m');
    expect(every('* * * * * c', '* * * * * sleep 30; c')).toBe('30s');
    expect(every('0 */2 * * * c')).toBeNull(); // a step that is not the minute field
    expect(every('0 3 * * * c')).toBeNull();
    expect(every('*/10 * * * * c')).toBeNull(); // not a cadence this tool writes
    expect(every()).toBeNull();
    expect(every('# only a comment')).toBeNull();
  });
});
