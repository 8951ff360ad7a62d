import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base';

// ESM only: the suites import vitest, which cannot be required.
export default defineConfig({
  ...libraryBuild({
    index: 'src/index.ts',
    sql: 'src/sql-rows.ts',
    http: 'src/http/index.ts',
    ci: 'src/is-ci.ts',
  }),
  format: ['esm'],
});
