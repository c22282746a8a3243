/**
 * The one place secrets are removed from text the watchdog writes: the event log, printed
 * reports, error messages and webhook alerts. Redact values before they are JSON-encoded: a
 * secret holding `"` or `\` no longer matches once encoded.
 */
export const REDACTED = '<redacted>';

/** Secrets shorter than this are not replaced by value (they would mangle ordinary text). */
const MIN_SECRET = 4;

/**
 * Shapes of keys and tokens, redacted even when nobody configured them. Built per call (a regex
 * literal is cheap to re-create: V8 caches its compiled code), so mutation testing can tell which
 * test covers which pattern instead of running every importing test for each.
 */
function patterns(): [RegExp, string][] {
  return [
    // user:password@ in any URL
    [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]+@/gi, `$1${REDACTED}@`],
    // Discord / Slack webhook URLs: the path is the credential
    [
      /(https?:\/\/(?:[\w-]+\.)?discord(?:app)?\.com\/api\/webhooks\/)[^\s"'<>]+/gi,
      `$1${REDACTED}`,
    ],
    [/(https?:\/\/hooks\.slack\.com\/)[^\s"'<>]+/gi, `$1${REDACTED}`],
    // OpenAI / Anthropic style keys, Slack tokens, GitHub tokens
    [/\bsk-[A-Za-z0-9_-]{8,}/g, REDACTED],
    [/\bxox[abposr]-[A-Za-z0-9-]{8,}/g, REDACTED],
    [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, REDACTED],
    // Telegram bot token: digits, colon, 35 characters (a few more or less: seen in the wild); also
    // inside a Bot API URL (`…/bot<token>/getUpdates`), where no word boundary precedes the digits
    [/(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,45}(?![A-Za-z0-9_-])/g, REDACTED],
    // AWS access key id
    [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, REDACTED],
    // Discord bot token: three base64url parts
    [/\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}/g, REDACTED],
    // Authorization: <any scheme> <credentials> (Token, Digest, …), or bare credentials
    [
      /(\bauthorization["']?\s*[:=]\s*["']?)(?:([A-Za-z][A-Za-z0-9_-]*)(\s+))?([^\s"',;]{4,})/gi,
      `$1$2$3${REDACTED}`,
    ],
    // Bearer / Basic credentials
    [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
    // Environment-style assignments: OPENROUTER_API_KEY=…, DISCORD_BOT_TOKEN=…, X_PASSWORD=…
    [
      /(\b[A-Z][A-Z0-9_]*_(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|PWD|CREDENTIALS?)S?=["']?)([^\s"'&,;]+)/g,
      `$1${REDACTED}`,
    ],
    // "password": "…" in JSON: the whole string value, escapes and spaces included
    [
      /("[\w-]*(?:api[_-]?key|secret|token|passw(?:or)?d|credentials?)s?"\s*:\s*")((?:[^"\\]|\\.)+)"/gi,
      `$1${REDACTED}"`,
    ],
    // token=…, api_key: …, "password":"…" (also after `_`: gemini_api_key=…; `api_key` and
    // `access-key` match at their `key`, the prefix kept)
    [
      /((?<![A-Za-z0-9])(?:apikey|accesskey|secret|token|passw(?:or)?d|credentials?|key)s?["']?\s*[=:]\s*["']?)([^\s"'&,;]{6,})/gi,
      `$1${REDACTED}`,
    ],
    // --token …, --api-key …, -p … (a flag and its separate value)
    [
      /((?:^|\s)--?[\w-]*(?:key|secret|token|passw(?:or)?d|credentials?)[\w-]*\s+["']?)([^\s"'-][^\s"']{5,})/gim,
      `$1${REDACTED}`,
    ],
  ];
}

/**
 * A secret as it may appear in someone else's output: as is, JSON-escaped (a password holding
 * `"` in a config dump), URL-encoded (a token in a query string, `%20` or `+` for a space), and
 * base64 (padded, unpadded, base64url).
 */
export function encodedForms(secret: string): string[] {
  const base64 = Buffer.from(secret).toString('base64');
  return [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    base64,
    base64.replace(/=+/, ''),
    Buffer.from(secret).toString('base64url'),
  ];
}

/** Replaces every known secret (in its encoded forms too), then every key-shaped string, with <redacted>. */
// Stryker disable next-line ArrayDeclaration: a default list holding Stryker's text differs only on text holding it
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  const longestFirst = [
    ...new Set(secrets.filter((s) => s.length >= MIN_SECRET).flatMap(encodedForms)),
  ].sort((a, b) => b.length - a.length);
  for (const secret of longestFirst) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of patterns()) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of `value` with every string in it (object keys too) redacted. Call before JSON.stringify. */
// Stryker disable next-line ArrayDeclaration: a default list holding Stryker's text differs only on text holding it
export function redactDeep<T>(value: T, secrets: readonly string[] = []): T {
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactText(v, secrets);
    if (v === null || typeof v !== 'object') return v;
    // Deeper than this (or a cycle) is not walked, so not returned either: it may hold a secret.
    if (depth > 20) return REDACTED;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[redactText(k, secrets)] = walk(x, depth + 1);
    return out;
  };
  return walk(value, 0) as T;
}

function looksSecret(v: string): boolean {
  return /\d/.test(v) && /[A-Za-z]/.test(v);
}

/** The secret parts of one credential: `user:pass` gives the pair and the password. */
function credential(value: string): string[] {
  const pair = /:(.+)/s.exec(value);
  return pair ? [value, pair[1]!] : [value];
}

/**
 * The secret parts of an argv (restart.command, a command notifier's): the value after
 * `--token`-like flags, the value of `--api-key=…`-like arguments, `NAME=value` environment
 * assignments with a secret name, the value after `-u` / `--user` / `-p` / `--password`-like
 * flags (a bare port number after `-p` is none), the password of `user:pass@` in a URL argument,
 * and a bare `user:password` argument whose password has 8+ characters, letters and digits.
 */
export function argvSecrets(argv: readonly string[]): string[] {
  // Built per call, like the patterns above (mutation testing's per-test coverage).
  const secretFlag = /(token|key|secret|pass(word|wd)?|auth|credential|cookie|bearer)/i;
  // Flags whose next argument is a password, or a `user:password` pair (curl -u, mail tools -p).
  const credentialFlag = /^(?:-u|-U|-p|--user|--proxy-user|--pass|--passwd|--password)$/;
  // `user:password@` in a URL anywhere in an argument (smtp://user:pw@host, https://…).
  const urlUserinfo = /[a-z][a-z0-9+.-]*:\/\/([^\s/:@]*):([^\s/@]+)@/gi;
  // A bare `user:password` argument: the password part long and mixed enough to be one (never a
  // URL: a `/` follows its first colon).
  const userPass = /^[^\s:/@=]+:([^\s/@]{8,})$/;
  const out: string[] = [];
  argv.forEach((arg, i) => {
    const next = argv[i + 1];
    const eq = /^-{0,2}([^=\s]+)=(.+)/s.exec(arg);
    if (eq && secretFlag.test(eq[1]!)) out.push(eq[2]!);
    else if (credentialFlag.test(arg) && next !== undefined) {
      const user = ['-u', '-U', '--user', '--proxy-user'].includes(arg); // a user name alone is none
      const port = arg === '-p' && /^\d+$/.test(next); // ssh -p 2222
      if (user ? next.includes(':') : !port) out.push(...credential(next));
    } else if (/^-{1,2}\w/.test(arg) && secretFlag.test(arg) && next !== undefined) out.push(next);
    for (const m of arg.matchAll(urlUserinfo)) {
      const pass = m[2]!;
      out.push(pass, safeDecode(pass), `${m[1]}:${pass}`);
    }
    const bare = userPass.exec(arg);
    if (bare && looksSecret(bare[1]!)) out.push(...credential(arg));
  });
  return [...new Set(out)];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The secret parts of a webhook URL: the URL itself, its password, path segments and query values. */
export function urlSecrets(url: string): string[] {
  const out = [url];
  try {
    const u = new URL(url);
    if (u.password) out.push(u.password, decodeURIComponent(u.password));
    if (u.username) out.push(u.username);
    // What is sent instead: Authorization: Basic base64(user:pass) (see notify/http.ts).
    if (u.username || u.password) {
      const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
      out.push(Buffer.from(pair).toString('base64'));
    }
    // Random-looking path parts (Discord's and Slack's tokens), not words like `webhooks`.
    for (const part of u.pathname.split('/'))
      if ((part.length >= 8 && /[0-9A-Z]/.test(part)) || part.length >= 20) out.push(part);
    for (const [, v] of u.searchParams) out.push(v);
    u.username = '';
    u.password = '';
    out.push(u.href);
  } catch {
    // not a URL: the string itself is the secret
  }
  return out;
}
