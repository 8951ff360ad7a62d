import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.base';

// The server side only; `build-ui.ts` bundles the browser code into dist/ui afterwards.
// `shims` gives the CJS build an `import.meta.url`, which locates dist/ui.
export default defineConfig({ ...libraryBuild(), shims: true });
