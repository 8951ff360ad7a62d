import { defineConfig } from 'tsup';

// The demo is an app, not a library: one ESM entry, dependencies stay external.
export default defineConfig({
  entry: { server: 'src/server.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  clean: true,
  sourcemap: true,
});
