import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const coreDir = join(dirname(fileURLToPath(import.meta.url)), '..');
let outDir = '';

// The ESM and the CJS build of core, loaded side by side in one plain Node process: what an app
// gets when its own code is ESM and a dependency (or its config) requires the CJS build.
const script = `
import { createRequire } from 'node:module';
const [esmUrl, cjsPath] = process.argv.slice(1);
const esm = await import(esmUrl);
const cjs = createRequire(import.meta.url)(cjsPath);
const storage = cjs.memoryStorage();
const service = new cjs.EventLogService(storage);
const entry = await esm.runWithContext({ actor: { id: 'u1', label: 'Ann' }, requestId: 'r1' }, () =>
  service.log({ template: 'Saved', tool: 'billing', action: 'update' }),
);
const failure = await service.log({ template: 'Saved', tool: '', action: 'update' }).catch((e) => e);
const esmFailure = await new esm.EventLogService(esm.memoryStorage())
  .log({ template: 'Hi {user__name}', tool: 'billing', action: 'update' })
  .catch((e) => e);
console.log(JSON.stringify({
  distinctClasses: esm.ValidationError !== cjs.ValidationError,
  actorId: entry.actorId,
  actorLabel: entry.actorLabel,
  requestId: entry.metadata?.requestId ?? null,
  cjsInEsm: {
    validation: failure instanceof esm.ValidationError,
    base: failure instanceof esm.EventLogError,
    template: failure instanceof esm.TemplateError,
    storage: failure instanceof esm.StorageError,
    isEventLogError: esm.isEventLogError?.(failure),
    code: failure.code,
  },
  esmInCjs: {
    template: esmFailure instanceof cjs.TemplateError,
    validation: esmFailure instanceof cjs.ValidationError,
    isEventLogError: cjs.isEventLogError?.(esmFailure),
  },
  plainError: esm.isEventLogError?.(new Error('x')) || new Error('x') instanceof esm.EventLogError,
}));
`;

// Every entry of each build: the subpath entries must use the root's context store and error
// classes (one module instance per build), not private copies of their own.
const entriesScript = `
import { createRequire } from 'node:module';
const dir = process.argv[1];
const load = createRequire(import.meta.url);
const result = {};
for (const [format, open] of [
  ['esm', (name) => import(dir + '/' + name + '.js')],
  ['cjs', async (name) => load(dir + '/' + name + '.cjs')],
]) {
  const [root, http, storage] = await Promise.all(['index', 'http', 'storage'].map(open));
  const service = new root.EventLogService(root.memoryStorage());
  const refused = (() => {
    try {
      http.createEventLogRoutes(service, {});
    } catch (e) {
      return e;
    }
  })();
  result[format] = {
    sameRunWithContext: http.runWithContext === root.runWithContext,
    contextSeen: http.runWithContext({ requestId: format }, () => root.getContext()?.requestId),
    errorIsRootClass: Object.getPrototypeOf(refused) === root.ConfigurationError.prototype,
    storageLoads: typeof storage.encodeCursor === 'function',
  };
}
const esmHttp = await import(dir + '/http.js');
const cjsRoot = load(dir + '/index.cjs');
result.esmHttpToCjsRoot = esmHttp.runWithContext({ requestId: 'x' }, () => cjsRoot.getContext()?.requestId);
console.log(JSON.stringify(result));
`;

beforeAll(async () => {
  // Built with the package's own tsup config (every entry, ESM and CJS) into a folder of its own,
  // so this test checks what is published and never races a concurrent `npm run build`.
  await mkdir(join(coreDir, 'test-artifacts'), { recursive: true });
  outDir = await mkdtemp(join(coreDir, 'test-artifacts', 'dual-'));
  await promisify(execFile)(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { build } = await import('tsup');
       await build({ outDir: process.argv[1], dts: false, sourcemap: false, silent: true });`,
      outDir,
    ],
    { cwd: coreDir },
  );
}, 120_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('one core per process', () => {
  it('shares the request context and recognises errors across the ESM and CJS builds', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--input-type=module',
      '-e',
      script,
      pathToFileURL(join(outDir, 'index.js')).href,
      join(outDir, 'index.cjs'),
    ]);
    expect(JSON.parse(stdout)).toEqual({
      distinctClasses: true,
      actorId: 'u1',
      actorLabel: 'Ann',
      requestId: 'r1',
      cjsInEsm: {
        validation: true,
        base: true,
        template: false,
        storage: false,
        isEventLogError: true,
        code: 'VALIDATION_ERROR',
      },
      esmInCjs: { template: true, validation: false, isEventLogError: true },
      plainError: false,
    });
  });

  it('gives every entry of a build one context store and one set of error classes', async () => {
    const files = await readdir(outDir);
    const holding = async (ext: string) => {
      const found: string[] = [];
      for (const f of files.filter((name) => name.endsWith(ext))) {
        const text = await readFile(join(outDir, f), 'utf8');
        if (text.includes('@eventlog/core/context')) found.push(f);
      }
      return found;
    };
    expect(await holding('.js')).toHaveLength(1);
    expect(await holding('.cjs')).toHaveLength(1);

    const { stdout } = await promisify(execFile)(process.execPath, [
      '--input-type=module',
      '-e',
      entriesScript,
      outDir,
    ]);
    const each = {
      sameRunWithContext: true,
      errorIsRootClass: true,
      storageLoads: true,
    };
    expect(JSON.parse(stdout)).toEqual({
      esm: { ...each, contextSeen: 'esm' },
      cjs: { ...each, contextSeen: 'cjs' },
      esmHttpToCjsRoot: 'x',
    });
  });
});
