import type { Options } from 'tsup';

/** Shared build: ESM + CJS with type declarations for both, one entry per public subpath. */
export function libraryBuild(entry: Record<string, string> = { index: 'src/index.ts' }): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { composite: false, customConditions: [] } },
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    // Entries share modules through common chunks (ESM and CJS alike) instead of each bundling
    // its own copy: one request-context store and one set of error classes per build.
    splitting: true,
    treeshake: true,
  };
}
