import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base';

export default defineConfig([
  libraryBuild(),
  // The executable: ESM only, with a shebang so `npx eventlog` runs it with node.
  {
    ...libraryBuild({ bin: 'src/bin.ts' }),
    format: ['esm'],
    dts: false,
    clean: false,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
