import { describe, expect, it } from 'vitest';
import {
  BEGIN,
  END,
  cronCommand,
  installBlock,
  removeBlock,
  renderBlock,
  shellQuote,
} from '../../../src/lib/cron/block.js';

const FOREIGN =
  'MAILTO=me@example.test\n# my backups\n0 3 * * *   /usr/local/bin/backup  --all\n\n@reboot echo hi\t# tab\n';

describe('crontab block', () => {
  const block = renderBlock('/usr/bin/node /x/cli.js check', '30s');

  it('30 s is two entries, the second behind sleep 30; other cadences one entry', () => {
    expect(block).toBe(
      `${BEGIN}\n* * * * * /usr/bin/node /x/cli.js check\n* * * * * sleep 30; /usr/bin/node /x/cli.js check\n${END}\n`,
    );
    expect(renderBlock('c', '1m')).toContain('\n* * * * * c\n');
    expect(renderBlock('c', '2m')).toContain('\n*/2 * * * * c\n');
    expect(renderBlock('c', '5m')).toContain('\n*/5 * * * * c\n');
  });

  it('installing twice leaves one block; every foreign line stays byte for byte', () => {
    const once = installBlock(FOREIGN, block);
    const twice = installBlock(once, renderBlock('/usr/bin/node /y/cli.js check', '1m'));
    expect(twice.split(BEGIN)).toHaveLength(2);
    expect(twice.startsWith(FOREIGN)).toBe(true);
    expect(twice).toContain('/y/cli.js');
    expect(twice).not.toContain('/x/cli.js');
    expect(removeBlock(twice)).toBe(FOREIGN);
  });

  it('keeps lines after the block in place, and handles an empty crontab or one without a final newline', () => {
    const middle = installBlock('a\n', block) + 'b\n';
    expect(removeBlock(installBlock(middle, block))).toBe('a\nb\n');
    expect(installBlock('', block)).toBe(block);
    expect(installBlock('x', block)).toBe(`x\n${block}`);
    expect(removeBlock('no block here\n')).toBe('no block here\n');
  });

  it('quotes for sh and escapes % (cron turns it into a newline)', () => {
    expect(shellQuote('/usr/bin/node')).toBe('/usr/bin/node');
    expect(shellQuote("/home/o'neil/bin")).toBe(`'/home/o'\\''neil/bin'`);
    expect(shellQuote('/a b/100%')).toBe(`'/a b/100\\%'`);
    expect(
      cronCommand('/n', '/c.js', { PATH: '/a:/b', OPENCLAW_PROFILE: 'work' }, [
        '--profile',
        'work',
      ]),
    ).toBe('PATH=/a:/b OPENCLAW_PROFILE=work /n /c.js check --profile work');
  });
});
