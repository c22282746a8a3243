import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cgroupLimitBytes } from '../../../src/lib/procs/cgroup.js';
import { kindOf, readGatewayTree } from '../../../src/lib/procs/gateway-tree.js';
import { readProc } from '../../../src/lib/procs/table.js';
import { removeTempDirs, tempDir } from '../../helpers/dirs.js';
import { healthy } from '../../helpers/gateways.js';
import { freePort } from '../../helpers/net.js';
import { killTracked, startFakeGateway, waitFor } from '../../helpers/processes.js';

afterEach(() => {
  killTracked();
  removeTempDirs();
});

const argv = (...args: string[]) => args.join('\0') + '\0';

describe('kindOf', () => {
  it("names OpenClaw's helpers by their script and anything else by argv[0], never an argument", () => {
    const dist = '/usr/lib/node_modules/openclaw/dist';
    expect(
      kindOf(argv('node', `${dist}/process/supervisor/service-child-relay.js`, '--x'), 'node'),
    ).toBe('service-child-relay');
    expect(
      kindOf(
        argv('/usr/bin/node', `${dist}/process/supervisor/service-child-group-anchor.js`),
        'node',
      ),
    ).toBe('service-child-group-anchor');
    expect(kindOf(argv('node', `${dist}/process/spawn-broker/worker.js`), 'node')).toBe(
      'spawn-broker',
    );
    expect(
      kindOf(argv('node', `${dist}/infra/sqlite-readonly-location.worker.js`, 'session'), 'node'),
    ).toBe('sqlite-readonly-location');
    expect(
      kindOf(argv('/usr/bin/python3', 'mcp_server.py', '--api-key', 'SECRET'), 'python3'),
    ).toBe('python3');
    expect(kindOf(argv('npx -y @acme/mcp --token SECRET'), 'npm exec')).toBe('npx');
    expect(kindOf('', 'sh')).toBe('sh');
  });
});

describe('cgroupLimitBytes', () => {
  it('v1: the tightest memory.limit_in_bytes up the hierarchy; unlimited is none', () => {
    const root = tempDir();
    const at = (path: string, value: string) => {
      mkdirSync(join(root, 'memory', path), { recursive: true });
      writeFileSync(join(root, 'memory', path, 'memory.limit_in_bytes'), `${value}\n`);
    };
    at('', '9223372036854771712');
    at('user.slice', String(4 * 2 ** 30));
    at('user.slice/app', String(8 * 2 ** 30));
    expect(cgroupLimitBytes('4:memory:/user.slice/app\n0::/x\n', root)).toBe(4 * 2 ** 30);
    expect(cgroupLimitBytes('4:memory:/elsewhere\n', root)).toBeNull();
  });

  it('v2: memory.max, "max" is none', () => {
    const root = tempDir();
    writeFileSync(join(root, 'cgroup.controllers'), 'memory pids\n');
    mkdirSync(join(root, 'system.slice', 'gw.service'), { recursive: true });
    writeFileSync(join(root, 'system.slice', 'memory.max'), 'max\n');
    writeFileSync(join(root, 'system.slice', 'gw.service', 'memory.max'), `${2 * 2 ** 30}\n`);
    expect(cgroupLimitBytes('0::/system.slice/gw.service\n', root)).toBe(2 * 2 ** 30);
    expect(cgroupLimitBytes('0::/system.slice\n', root)).toBeNull();
  });
});

describe('readGatewayTree', () => {
  it("sums the RSS of a live gateway and its children, by kind; a reused pid is no gateway's", async () => {
    const port = await freePort();
    const pid = startFakeGateway([
      '--port',
      String(port),
      '--children',
      'openclaw-a,openclaw-a,openclaw-b',
    ]).pid!;
    await waitFor(() => healthy(port), { what: 'gateway' });
    const { startTicks } = readProc(pid)!;
    const tree = await waitFor(
      () => {
        const t = readGatewayTree(pid, startTicks, true);
        return t && t.descendants === 3 && t.kinds.every((k) => k.name.startsWith('openclaw-'))
          ? t
          : null;
      },
      { what: 'three titled children' },
    );
    expect(
      tree.kinds
        .map(({ name, count }) => ({ name, count }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ).toEqual([
      { name: 'openclaw-a', count: 2 },
      { name: 'openclaw-b', count: 1 },
    ]);
    const sum = tree.gatewayRssBytes + tree.kinds.reduce((s, k) => s + k.rssBytes, 0);
    expect(tree.rssBytes).toBe(sum);
    expect(tree.gatewayRssBytes).toBeGreaterThan(10 << 20);
    expect(tree.limitBytes).toBeGreaterThan(0);
    expect(readGatewayTree(pid, startTicks + 1, true)).toBeNull();
  });

  it("counts a descendant's own memory (resident − shared), not the pages it shares with the others", async () => {
    const port = await freePort();
    const pid = startFakeGateway([
      '--port',
      String(port),
      '--children',
      'openclaw-a,openclaw-a',
    ]).pid!;
    await waitFor(() => healthy(port), { what: 'gateway' });
    const { startTicks } = readProc(pid)!;
    const tree = await waitFor(
      () => {
        const t = readGatewayTree(pid, startTicks, false);
        return t?.kinds.some((k) => k.name === 'openclaw-a' && k.count === 2) ? t : null;
      },
      { what: 'two node children' },
    );
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .map(Number);
    const rss = children.reduce((sum, c) => sum + readProc(c)!.rssBytes, 0);
    // A node process shares ~30 MiB (its binary, libraries) with every other: RSS counted it
    // once per process. Their own memory is well under their RSS; the gateway keeps its RSS.
    const own = tree.kinds.find((k) => k.name === 'openclaw-a')!.rssBytes;
    expect(own).toBeGreaterThan(0);
    expect(own).toBeLessThan(rss * 0.8);
    expect(tree.rssBytes).toBe(tree.gatewayRssBytes + own);
  });
});
