import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { ROOT } from '../src/consumer-project';
import { readAllSnippets, snippetFile } from '../src/snippets';

// README blocks marked `<!-- snippet: vitest … -->` register vitest suites (a third-party adapter
// running the conformance suite). Each is written beside this package, so its imports resolve to
// the workspace sources, and imported here: the suites it registers run as part of this file.
// The consumer test runs the same blocks against the packed tarballs.

const blocks = (await readAllSnippets(ROOT)).filter((s) => s.mode === 'vitest');
const dir = join(ROOT, 'packages/consumer-tests/test-artifacts/readme-suites');
await mkdir(dir, { recursive: true });
for (const block of blocks) {
  const file = join(dir, snippetFile(block));
  await writeFile(file, block.code);
  await import(pathToFileURL(file).href);
}

it('finds the README blocks that run as vitest suites', () => {
  expect(blocks.map((b) => b.name)).toEqual(['packages/core/README.md#3']);
});
