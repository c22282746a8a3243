// A Stryker ignorer (stryker.config.mjs `ignorers`): in the decision core (src/lib/decide/**), the
// text of a message for people (a check's `detail`, an event's `reason` or hint, a restart's `why`)
// is not mutated. Its wording decides nothing: no rule compares it, and the tests pin by value the
// messages that matter. Text is told apart by a space: the strings that do decide (event names,
// states, reasons, actions, flags) are single words and stay mutated. Every other mutated file keeps
// all its string mutants: the crontab markers, redaction's replacements and validation's one-line
// errors are behaviour.
//
// Stryker gives an ignorer only the AST node, not its file: the decision core's files are known by
// their top-level statements' offsets, read here from the same sources.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

// The parser Stryker's instrumenter itself uses (a dependency of it, not of this project).
const { parse } = createRequire(import.meta.resolve('@stryker-mutator/instrumenter'))(
  '@babel/parser',
);

const CORE = 'src/lib/decide';
const REASON = 'message text for people (scripts/stryker-message-text.mjs)';

const fingerprint = (program) => `${program.end}:${program.body.map((n) => n.start).join(',')}`;

function coreFingerprints(dir) {
  const out = new Set();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) for (const f of coreFingerprints(path)) out.add(f);
    else if (entry.name.endsWith('.ts')) {
      const text = readFileSync(path, 'utf8');
      const ast = parse(text, { sourceType: 'module', plugins: ['typescript'] });
      out.add(fingerprint(ast.program));
    }
  }
  return out;
}

const core = coreFingerprints(CORE);
const inCore = new WeakMap();
const isText = (s) => typeof s === 'string' && s.includes(' ');

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'message-text', {
    shouldIgnore(path) {
      const text =
        (path.isStringLiteral() && isText(path.node.value)) ||
        (path.isTemplateLiteral() && path.node.quasis.some((q) => isText(q.value.cooked)));
      if (!text) return undefined;
      const program = path.scope.getProgramParent().path.node;
      if (!inCore.has(program)) inCore.set(program, core.has(fingerprint(program)));
      return inCore.get(program) ? REASON : undefined;
    },
  }),
];
