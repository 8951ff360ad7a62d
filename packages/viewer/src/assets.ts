import { readFileSync } from 'node:fs';
import { ConfigurationError } from '@eventlog/core';

/** The built UI as read from disk: the HTML template and each hashed asset. */
export interface BuiltUi {
  /** `index.html` with its `%TITLE%` placeholders. */
  html: string;
  /** Asset path relative to the mount (`assets/app-<hash>.js`) → content type and bytes. */
  assets: ReadonlyMap<string, { contentType: string; body: Uint8Array }>;
}

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

// `../dist/ui` from both `src/` (workspace, tests) and `dist/` (the published build).
const UI_DIR = new URL('../dist/ui/', import.meta.url);
let cached: BuiltUi | undefined;

/**
 * Reads the built UI once per process.
 *
 * @throws ConfigurationError when the UI has not been built (`npm run build -w @eventlog/viewer`).
 */
export function builtUi(): BuiltUi {
  if (cached) return cached;
  let manifest: { assets: string[] };
  let html: string;
  try {
    manifest = JSON.parse(readFileSync(new URL('manifest.json', UI_DIR), 'utf8'));
    html = readFileSync(new URL('index.html', UI_DIR), 'utf8');
  } catch (error) {
    throw new ConfigurationError(
      `@eventlog/viewer: the UI is not built in ${UI_DIR.pathname} (run its build script): ${String(error)}`,
    );
  }
  const assets = new Map<string, { contentType: string; body: Uint8Array }>();
  for (const path of manifest.assets) {
    const ext = path.slice(path.lastIndexOf('.') + 1);
    assets.set(path, {
      contentType: TYPES[ext] ?? 'application/octet-stream',
      body: readFileSync(new URL(path, UI_DIR)),
    });
  }
  cached = { html, assets };
  return cached;
}
