/**
 * `npm run bench [-- suite...]`: runs each benchmark suite (all by default) and rewrites its
 * section of bench/RESULTS.md. A suite is `bench/<name>/index.ts` exporting
 * `run(): Promise<string>` that returns its Markdown section (numbers and the command).
 */

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const SUITES = [
  'diff',
  'knex',
  'http',
  'sequelize',
  'integrity',
  'load',
  'core',
  'capture',
  'history',
  'partitions',
  'search',
  'counts',
  'reads',
];
const here = fileURLToPath(new URL('.', import.meta.url));
const resultsPath = `${here}RESULTS.md`;

async function updateSection(name: string, body: string): Promise<void> {
  const begin = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const current = existsSync(resultsPath)
    ? await readFile(resultsPath, 'utf8')
    : '# Benchmark results\n\nEach section is rewritten by the suite that produced it.\n';
  const section = `${begin}\n${body.trim()}\n${end}`;
  const at = current.indexOf(begin);
  const next =
    at === -1
      ? `${current.trimEnd()}\n\n${section}\n`
      : `${current.slice(0, at)}${section}${current.slice(current.indexOf(end) + end.length)}`;
  await writeFile(resultsPath, next);
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted.length > 0 ? wanted : SUITES) {
  const entry = `${here}${name}/index.ts`;
  if (!existsSync(entry)) {
    console.log(`bench ${name}: not present, skipped`);
    continue;
  }
  console.log(`\n=== bench ${name} ===`);
  const suite = (await import(entry)) as { run(): Promise<string> };
  const body = await suite.run();
  console.log(body);
  await updateSection(name, body);
}
