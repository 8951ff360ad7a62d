import { defineConfig } from 'vitest/config';

// Core's own tests, without the database servers: what mutation testing runs against.
// MUTATION_TESTS (comma-separated globs) narrows a run to the tests of one module: a mutant that
// runs at import time (a constant, a module-level table) is tested against every included file,
// so the whole set makes a run of one module take hours on a 2-core machine. Fewer tests can
// only kill fewer mutants: a narrowed score is a lower bound of the full one.
const scoped = process.env.MUTATION_TESTS?.split(',').filter((g) => g !== '');

export default defineConfig({
  resolve: { conditions: ['@eventlog/source'] },
  ssr: { resolve: { conditions: ['@eventlog/source'] } },
  test: {
    include: scoped?.length ? scoped : ['packages/core/test/**/*.test.ts'],
    // Builds core with tsup in a child process: slow, and it checks packaging, not behaviour.
    exclude: ['packages/core/test/one-core-per-process.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
