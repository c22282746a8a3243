/** `npm run docs`: writes the generated reference pages (see scripts/docs/generate.ts). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generatedDocs, ROOT } from './docs/generate.js';

for (const [path, text] of Object.entries(await generatedDocs())) {
  const file = join(ROOT, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  process.stdout.write(`wrote ${path}\n`);
}
