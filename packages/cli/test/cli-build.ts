import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const packages = fileURLToPath(new URL('../..', import.meta.url));

/** Where a test run's build lives: `<root>/node_modules/@eventlog/<package>/`. */
export interface CliBuild {
  root: string;
  /** The `eventlog` executable. */
  bin: string;
}

// Imports of other packages stay imports, resolved at run time as in an installed app: another
// `@eventlog/*` package to its own build beside this one, the rest to the repository's node_modules.
const otherPackages = (name: string): Plugin => ({
  name: 'other-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.kind === 'entry-point' || args.path === name || args.path.startsWith(`${name}/`)
        ? undefined
        : { external: true },
    );
  },
});

/** Builds one workspace package from its sources; returns the `@eventlog/*` packages it imports. */
async function buildPackage(folder: string, root: string, bin: boolean): Promise<string[]> {
  const dir = join(packages, folder);
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, { '@eventlog/source'?: string }>;
  };
  const entryPoints: Record<string, string> = {};
  const exports: Record<string, string> = {};
  for (const [subpath, conditions] of Object.entries(manifest.exports)) {
    const source = conditions['@eventlog/source'];
    if (source === undefined) continue;
    const name = subpath === '.' ? 'index' : subpath.slice(2).replaceAll('/', '-');
    entryPoints[name] = join(dir, source);
    exports[subpath] = `./${name}.js`;
  }
  if (bin) entryPoints.bin = join(dir, 'src/bin.ts');
  const outdir = join(root, 'node_modules', manifest.name);
  const result = await build({
    entryPoints,
    outdir,
    bundle: true,
    // Entries of one package share its modules (one set of error classes), as its published build does.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['@eventlog/source'],
    metafile: true,
    logLevel: 'warning',
    plugins: [otherPackages(manifest.name)],
  });
  await writeFile(
    join(outdir, 'package.json'),
    JSON.stringify({ name: manifest.name, type: 'module', exports }),
  );
  const imported = Object.values(result.metafile.outputs).flatMap((o) => o.imports);
  return imported
    .filter((i) => i.external && i.path.startsWith('@eventlog/'))
    .map((i) => i.path.split('/').slice(0, 2).join('/'));
}

/**
 * Builds the CLI and every `@eventlog/*` package it or `extra` import, from their sources, into
 * `root` as an app's node_modules would hold them. `root` must sit inside the repository, so
 * the packages' own dependencies resolve to its node_modules.
 */
export async function buildCli(root: string, extra: readonly string[] = []): Promise<CliBuild> {
  await mkdir(root, { recursive: true });
  const pending = ['@eventlog/cli', ...extra];
  const built = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (built.has(name)) continue;
    built.add(name);
    pending.push(
      ...(await buildPackage(name.slice('@eventlog/'.length), root, name === '@eventlog/cli')),
    );
  }
  return { root, bin: join(root, 'node_modules/@eventlog/cli/bin.js') };
}
