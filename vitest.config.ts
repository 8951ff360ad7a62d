import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

const server = {
  postgres: 'packages/test-servers/src/global-setup/postgres.ts',
  mariadb: 'packages/test-servers/src/global-setup/mariadb.ts',
  mongodb: 'packages/test-servers/src/global-setup/mongodb.ts',
};

/**
 * Test files that need a database server, by the servers their project starts. Vitest runs a
 * project's global setup only when the run includes one of its files, so
 * `npx vitest run packages/core` starts no server at all. A setup reuses a server another project
 * already started (it sees the URL in `process.env`).
 */
const serverProjects = [
  {
    name: 'sql',
    include: [
      'packages/adapter-knex/test/**/*.test.ts',
      'packages/adapter-sequelize/test/**/*.test.ts',
    ],
    globalSetup: [server.postgres, server.mariadb],
  },
  {
    name: 'mongodb',
    include: ['packages/adapter-mongoose/test/**/*.test.ts'],
    globalSetup: [server.mongodb],
  },
  {
    name: 'cli',
    include: ['packages/cli/test/**/*.test.ts'],
    // The CLI's tests run it as a process, on a build of its sources made once per run.
    globalSetup: [server.postgres, server.mongodb, 'packages/cli/test/global-setup.ts'],
  },
];

// One run over every package. Workspace packages resolve to their TypeScript sources through
// the `@eventlog/source` export condition, so tests never need a build first.
export default defineConfig({
  resolve: { conditions: ['@eventlog/source'] },
  ssr: { resolve: { conditions: ['@eventlog/source'] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most test time is spent waiting on the database servers, not on a core: two workers keep a
    // 2-core machine busy where the default (cores - 1) leaves one core idle.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      ...serverProjects.map((project) => ({ extends: true as const, test: project })),
      {
        extends: true,
        test: {
          name: 'no-server',
          include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...serverProjects.flatMap((p) => p.include)],
          // The viewer's mounts (and the demo) serve the built UI.
          globalSetup: ['packages/viewer/test/global-setup.ts'],
        },
      },
    ],
  },
});
