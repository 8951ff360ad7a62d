import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
/** Where the server side (`src/assets.ts`) looks for the built UI. */
export const UI_DIR = join(here, 'dist', 'ui');

/** What `buildUi` wrote: each asset's served path and sizes in bytes. */
export interface UiBuildReport {
  assets: { path: string; bytes: number; gzipBytes: number }[];
  gzipTotal: number;
}

// Write-then-rename, so a concurrent build or a server reading the directory never sees half a file.
function writeAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Bundles `src/ui` into `dist/ui`: `assets/app-<hash>.js` and `.css` (minified, content-hashed,
 * nothing loaded from elsewhere), `index.html` naming them, and `manifest.json` listing them.
 */
export async function buildUi(outDir = UI_DIR): Promise<UiBuildReport> {
  const result = await build({
    entryPoints: [join(here, 'src/ui/main.ts'), join(here, 'src/ui/style.css')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome115', 'firefox115', 'safari16'],
    outdir: join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    write: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const assets: UiBuildReport['assets'] = [];
  const names: Record<string, string> = {};
  for (const file of result.outputFiles) {
    const hash = createHash('sha256').update(file.contents).digest('hex').slice(0, 12);
    const ext = file.path.endsWith('.css') ? 'css' : 'js';
    const name = `${ext === 'css' ? 'style' : 'app'}-${hash}.${ext}`;
    names[ext] = `assets/${name}`;
    writeAtomic(join(outDir, 'assets', name), file.contents);
    assets.push({
      path: `assets/${name}`,
      bytes: file.contents.byteLength,
      gzipBytes: gzipSync(file.contents, { level: 9 }).byteLength,
    });
  }
  const html = readFileSync(join(here, 'src/ui/index.html'), 'utf8')
    .replace('%STYLE%', names.css ?? '')
    .replace('%SCRIPT%', names.js ?? '');
  writeAtomic(join(outDir, 'index.html'), html);
  writeAtomic(
    join(outDir, 'manifest.json'),
    JSON.stringify({ assets: assets.map((a) => a.path) }, null, 2),
  );
  return { assets, gzipTotal: assets.reduce((n, a) => n + a.gzipBytes, 0) };
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const report = await buildUi();
  for (const a of report.assets) {
    console.log(`${basename(a.path).padEnd(28)} ${a.bytes} B, ${a.gzipBytes} B gzipped`);
  }
  const kb = (report.gzipTotal / 1024).toFixed(1);
  console.log(`viewer JS + CSS: ${kb} KB gzipped (budget 60 KB)`);
  if (report.gzipTotal > 60 * 1024) {
    console.error('over the 60 KB budget');
    process.exit(1);
  }
}
