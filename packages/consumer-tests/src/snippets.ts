import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** How the test treats a block, from the `<!-- snippet: … -->` comment right above it. */
export type SnippetMode = 'run' | 'vitest' | 'typecheck' | 'partial';

/** One TypeScript block of a README (or several, joined by `continues`). */
export interface Snippet {
  /** `README.md#2`, `packages/core/README.md#1`: the file and the block's number in it. */
  name: string;
  mode: SnippetMode;
  /** Why it is not run (`typecheck`) or not checked at all (`partial`). */
  reason: string | undefined;
  code: string;
}

const BLOCK =
  /(?:<!--\s*snippet:\s*([a-z-]+)(?:\s+—\s*([^>]*?))?\s*-->\s*\n)?```ts\n([\s\S]*?)```/g;

/**
 * The TypeScript blocks of one Markdown file. A block runs by default; an HTML comment right
 * above it says otherwise:
 *
 * - `<!-- snippet: typecheck — needs PostgreSQL -->` type-checks it without running it;
 * - `<!-- snippet: vitest — registers a suite -->` type-checks it and runs it as a vitest file
 *   (a block that calls `describe`, such as one running a conformance suite);
 * - `<!-- snippet: partial — a fragment of the block above -->` skips it, by name, saying why;
 * - `<!-- snippet: continues -->` appends it to the block before, which then runs as one program
 *   (a walkthrough told in steps).
 */
export async function readSnippets(file: string, root: string): Promise<Snippet[]> {
  const text = await readFile(file, 'utf8');
  const out: Snippet[] = [];
  let index = 0;
  for (const match of text.matchAll(BLOCK)) {
    index += 1;
    const [, marker, reason, code = ''] = match;
    const name = `${relative(root, file)}#${index}`;
    if (marker === 'continues') {
      const previous = out.at(-1);
      if (!previous) throw new Error(`${name}: "continues" needs a block before it`);
      previous.code += `\n${code}`;
      previous.name += `+${index}`;
      continue;
    }
    if (
      marker !== undefined &&
      marker !== 'typecheck' &&
      marker !== 'partial' &&
      marker !== 'vitest'
    ) {
      throw new Error(`${name}: unknown snippet marker "${marker}"`);
    }
    const mode: SnippetMode = marker ?? 'run';
    if (mode !== 'run' && !reason) throw new Error(`${name}: a ${mode} snippet must say why`);
    out.push({ name, mode, reason, code });
  }
  return out;
}

/** A file name for a snippet: `README.md#2+3` → `readme-md-2-3.ts`. */
export const snippetFile = (snippet: Snippet): string =>
  `${snippet.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}.ts`;

/** The TypeScript blocks of the root README and of every package README. */
export async function readAllSnippets(root: string): Promise<Snippet[]> {
  const readmes = [
    'README.md',
    ...(await readdir(join(root, 'packages'))).map((p) => `packages/${p}/README.md`),
  ];
  const snippets: Snippet[] = [];
  for (const file of readmes) {
    const found = await readSnippets(join(root, file), root).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [];
      throw e;
    });
    snippets.push(...found);
  }
  return snippets;
}
