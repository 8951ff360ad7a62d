#!/usr/bin/env node
// The `eventlog` executable. It exists before the build, so `npm ci` in a clone links it and
// `npx eventlog` runs this workspace's CLI instead of looking for a registry package.
const built = new URL('../dist/bin.js', import.meta.url);
try {
  await import(built.href);
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes(built.pathname)) {
    console.error('eventlog: the CLI is not built yet: run `npm run build` first');
    process.exit(2);
  }
  throw error;
}
