// A Stryker ignorer (stryker.config.mjs `ignorers`): in the decision core, the text of a message for
// people (a check's `detail`, an event's `reason` or hint, a restart's `why`) is not mutated. Its
// wording decides nothing: no rule compares it, and the tests pin the messages that matter by
// value. Text is told apart by a space: the strings that do decide (event names, states, reasons,
// actions, flags) are single words and stay mutated. Files outside src/lib/decide/ are not touched
// here: the crontab markers, redaction's replacements and validation's one-line errors keep every
// mutant.
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const REASON = 'message text for people (scripts/stryker-message-text.mjs)';
const CORE = /(^|\/)src\/lib\/decide\//;
const isText = (s) => typeof s === 'string' && s.includes(' ');

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'message-text', {
    shouldIgnore(path) {
      const file = (path.node.loc?.filename ?? '').replaceAll('\\', '/');
      if (!CORE.test(file)) return undefined;
      if (path.isStringLiteral() && isText(path.node.value)) return REASON;
      if (path.isTemplateLiteral() && path.node.quasis.some((q) => isText(q.value.cooked)))
        return REASON;
      return undefined;
    },
  }),
];
