import { defineConfig } from 'vitest/config';

// Core's own tests, without the database servers: what mutation testing runs against.
export default defineConfig({
  resolve: { conditions: ['@eventlog/source'] },
  ssr: { resolve: { conditions: ['@eventlog/source'] } },
  test: {
    include: ['packages/core/test/**/*.test.ts'],
    // Builds core with tsup in a child process: slow, and it checks packaging, not behaviour.
    exclude: ['packages/core/test/one-core-per-process.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
