// Builds dist/ with esbuild: src/cli.ts → dist/cli.js, one ESM bundle whose commands are lazily
// loaded chunks (code splitting), so a healthy `check` loads only what it runs. Source maps beside
// each file. Type checking stays with `tsc --noEmit` (npm run typecheck); esbuild only strips types.
// What makes a check cheap here (bench/README.md has the numbers):
// - Few files on the healthy path: each chunk the ESM loader loads costs its resolution, stats and
//   read (≈ 0.5 ms each on Node 24; 43 chunks cost ≈ 20 ms more than one file). The build runs
//   twice: the first finds what a healthy check loads (the core), the second has every lazily
//   loaded module outside the core import the core too, so that esbuild puts the core in two
//   shared chunks (the part `probe` loads, the rest) instead of one chunk per combination of
//   commands that share a module: 7 files for a healthy check, 43 before.
// - Node builtins are loaded with process.getBuiltinModule (require without createRequire: one
//   createRequire per chunk cost ≈ 0.3 ms each), never through the ESM loader: on Node 24 an ESM
//   import of node:http builds a facade that reads every export, loading undici (+40 ms, +15 MiB).
// - ws is bundled with `tls` and `https` loaded only when used (wss:// only; we probe ws://), and
//   its client only (lib/websocket.js: not its server, stream wrapper and index, 22 KB).
// - proper-lockfile is bundled with node:fs in place of graceful-fs, which patches fs on load and
//   only queues retries on EMFILE (one-shot CLI, a handful of fds: never needed).
// - json5, tree-kill and ps-list stay in node_modules, required only on the paths that need them.
// Every output file sits in dist/ itself, so `import.meta.url` can be rewritten to the URL the
// file would have had compiled one-to-one (dist/lib/version.js ...): relative URLs keep working.
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const outdir = join(root, 'dist');
const REQUIRE = '__ocwdRequire';
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const bare = (name) => name.replace(/^node:/, '');
// Builtins src/ imports only functions from, used off a healthy check's path (spawn, crontab):
// loaded on first call (child_process also loads dgram and net's socket list: +2 ms).
const LAZY_FUNCTIONS = new Set(['child_process']);

/** Names src/ imports from each builtin (`import { a, b as c } from 'node:x'`), by builtin. */
function namedImports(dir) {
  const names = new Map();
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const [, what, name] of text.matchAll(
          /import\s+([^;]*?)\s+from\s+'(?:node:)?([a-z_/]+)'/g,
        )) {
          if (!builtins.has(name) || /^type\s/.test(what)) continue;
          const list = /^\{([^}]*)\}$/.exec(what.trim());
          if (!list) throw new Error(`${path}: import builtins by name, not as "${what}"`);
          const set = names.get(name) ?? new Set();
          for (const item of list[1]
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)) {
            if (!item.startsWith('type ')) set.add(item.split(/\s+as\s+/)[0]);
          }
          names.set(name, set);
        }
      }
    }
  };
  walk(dir);
  return names;
}

/**
 * Builtins through require(), never the ESM loader. Our own imports get an ESM module that
 * exports just the names src/ uses (esbuild's CommonJS interop would copy every export, and on
 * Node 24 reading util's lazy exports loads TextDecoder and more); bundled CommonJS packages get
 * module.exports as it is, with `tls`, `https` and `zlib` loaded only if ws ever uses them.
 */
const builtinsViaRequire = (named) => ({
  name: 'builtins-via-require',
  setup(b) {
    b.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      if (!builtins.has(args.path)) return undefined;
      const name = bare(args.path);
      if (args.kind === 'import-statement')
        return { path: name, namespace: LAZY_FUNCTIONS.has(name) ? 'builtin-fns' : 'builtin-esm' };
      if (name === 'assert' && /[\\/]node_modules[\\/]signal-exit[\\/]/.test(args.importer))
        return { path: name, namespace: 'assert-equal' };
      const lazy =
        /[\\/]node_modules[\\/]ws[\\/]/.test(args.importer) && /^(https|tls|zlib)$/.test(name);
      return { path: name, namespace: lazy ? 'builtin-lazy' : 'builtin' };
    });
    const load = (name) => `${REQUIRE}(${JSON.stringify(`node:${name}`)})`;
    b.onLoad({ filter: /.*/, namespace: 'builtin-esm' }, (args) => {
      const names = [...(named.get(args.path) ?? [])];
      return {
        contents: [
          `const m = ${load(args.path)};`,
          'export default m;',
          ...names.map((n) => `export const ${n} = m.${n};`),
        ].join('\n'),
        loader: 'js',
      };
    });
    // Functions only: each export loads the builtin on its first call.
    b.onLoad({ filter: /.*/, namespace: 'builtin-fns' }, (args) => ({
      contents: [
        `let m;`,
        `const load = () => (m ??= ${load(args.path)});`,
        ...[...(named.get(args.path) ?? [])].map(
          (n) => `export const ${n} = (...a) => load().${n}(...a);`,
        ),
      ].join('\n'),
      loader: 'js',
    }));
    // signal-exit (proper-lockfile's) calls assert.equal once, on a callback's type.
    b.onLoad({ filter: /.*/, namespace: 'assert-equal' }, () => ({
      contents: `module.exports = { equal(a, b, message) { if (a != b) throw new Error(message); } };`,
      loader: 'js',
    }));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = ${load(args.path)};`,
      loader: 'js',
    }));
    b.onLoad({ filter: /.*/, namespace: 'builtin-lazy' }, (args) => ({
      contents: `let m;
const load = () => (m ??= ${load(args.path)});
module.exports = new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });`,
      loader: 'js',
    }));
  },
});

/** proper-lockfile takes its lock with plain node:fs instead of graceful-fs. */
const plainFsForLockfile = {
  name: 'plain-fs-for-proper-lockfile',
  setup(b) {
    b.onResolve({ filter: /^graceful-fs$/ }, (args) =>
      /[\\/]node_modules[\\/]proper-lockfile[\\/]/.test(args.importer)
        ? { path: 'fs', namespace: 'builtin' }
        : undefined,
    );
  },
};

/** src/ uses ws's client only: its index also loads the server, the stream wrapper and more. */
const wsClientOnly = {
  name: 'ws-client-only',
  setup(b) {
    b.onResolve({ filter: /^ws$/ }, (args) =>
      args.importer.startsWith(src)
        ? { path: join(root, 'node_modules/ws/lib/websocket.js') }
        : undefined,
    );
  },
};

/**
 * The source of each file of src/: `import.meta.url` in src/x/y.ts becomes the URL of dist/x/y.js,
 * as if compiled one-to-one, so relative URLs (package.json, cli.js) keep working (`from` is the
 * output file's directory); each module in `pinned` also imports `core` (see the build below).
 */
const sources = (from, pinned, core) => ({
  name: 'sources',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const pin = pinned.has(args.path);
      if (!text.includes('import.meta.url') && !pin) return undefined;
      const asBuilt = join(outdir, relative(src, args.path)).replace(/\.ts$/, '.js');
      const url = relative(from, asBuilt).split('\\').join('/');
      const contents = text.replaceAll(
        'import.meta.url',
        `new URL(${JSON.stringify(url)}, import.meta.url).href`,
      );
      return {
        contents: pin ? `${contents}\nimport ${JSON.stringify(core)};\n` : contents,
        loader: 'ts',
      };
    });
  },
});

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // Loaded at run time from node_modules, only where needed (see the header).
  external: ['json5', 'tree-kill', 'ps-list'],
  // process.getBuiltinModule: Node >= 20.16 / 22.3; on an older Node, one line and exit 2.
  banner: {
    js: `const ${REQUIRE} = process.getBuiltinModule ?? (() => { process.stderr.write(\`openclaw-watchdog: Node \${process.version} is too old; run it with Node >= 24.16, as OpenClaw needs\\n\`); process.exit(2); });`,
  },
  logLevel: 'warning',
};

/** The healthy path's root: what `check` loads (with cli.ts) is the core. */
const CORE_ROOT = 'src/commands/check.ts';

/** Files a healthy check loads, by a build's metafile: the static closure of cli.js and of the
 * check command's chunk (dynamic imports are what it loads only when needed). */
function coreInputs(meta) {
  const outs = meta.outputs;
  const seen = new Set();
  const walk = (o) => {
    if (seen.has(o)) return;
    seen.add(o);
    for (const i of outs[o].imports)
      if (i.kind === 'import-statement' && outs[i.path]) walk(i.path);
  };
  for (const [o, out] of Object.entries(outs))
    if (out.entryPoint === 'src/cli.ts' || out.entryPoint === CORE_ROOT) walk(o);
  return new Set([...seen].flatMap((o) => Object.keys(outs[o].inputs)));
}

/** Left out of the pinning: `probe` needs only the config and the probe (half the core); pinned,
 * it would load all of it (+1.1 MiB peak RSS, measured). Its modules then make a second core chunk
 * (7 files for a check instead of 6, the same CPU within noise). */
const UNPINNED = new Set(['src/commands/probe.ts']);

/** Modules of src/ loaded lazily (import()) that a healthy check does not load, by a metafile. */
function lazyOffCore(meta) {
  const core = coreInputs(meta);
  const lazy = Object.values(meta.inputs).flatMap((input) =>
    input.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path),
  );
  const off = lazy.filter((p) => p.startsWith('src/') && !core.has(p) && !UNPINNED.has(p));
  return new Set(off.map((p) => join(root, p)));
}

const options = (pinned) => ({
  ...common,
  entryPoints: ['src/cli.ts'],
  outdir,
  // Each command is a chunk loaded when it runs; code they share sits in shared chunks, once
  // (one module instance each: `instanceof UsageError` holds across commands and the CLI).
  splitting: true,
  chunkNames: '[name]-[hash]',
  metafile: true,
  plugins: [
    builtinsViaRequire(namedImports(src)),
    plainFsForLockfile,
    wsClientOnly,
    sources(outdir, pinned, join(root, CORE_ROOT)),
  ],
});

// First: what a healthy check loads. Then the build itself, each lazily loaded module outside
// that core importing the core: every core module is then reached from the same entry points,
// and esbuild, which makes one chunk per set of entry points that reach a module, makes one (two,
// with probe's part). Those modules load only after the core (a check, or a command that needs
// them), so this adds nothing to what a healthy check loads; another command (but probe) loads
// the core with it.
const first = await build({ ...options(new Set()), write: false });
rmSync(outdir, { recursive: true, force: true });
const { metafile } = await build(options(lazyOffCore(first.metafile)));

// V8 keeps a module's source text for as long as it runs, one byte a character only when every
// character is Latin-1: one `→` in a comment doubles the core chunk's (+370 KB of heap, +0.5 MiB
// peak RSS per check, measured). esbuild escapes non-ASCII in strings and regexes (charset
// ascii), not in comments; what is left of it there is replaced, one character for one (source
// map columns stay).
for (const file of Object.keys(metafile.outputs).filter((f) => f.endsWith('.js'))) {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  if (/[\u0100-\uffff]/.test(text)) writeFileSync(path, text.replace(/[\u0100-\uffff]/g, '?'));
}
