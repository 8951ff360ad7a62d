import { defineConfig } from 'vitest/config';

// One run over every package. Workspace packages resolve to their TypeScript sources through
// the `@eventlog/source` export condition, so tests never need a build first.
export default defineConfig({
  resolve: { conditions: ['@eventlog/source'] },
  ssr: { resolve: { conditions: ['@eventlog/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    // Database servers are started once per run and stopped by pid in their teardown.
    globalSetup: [
      'packages/test-servers/src/global-setup/postgres.ts',
      'packages/test-servers/src/global-setup/mongodb.ts',
      'packages/test-servers/src/global-setup/mariadb.ts',
      // The viewer's mounts (and the demo) serve the built UI.
      'packages/viewer/test/global-setup.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
