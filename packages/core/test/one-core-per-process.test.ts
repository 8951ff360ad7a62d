import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'tsup';
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

beforeAll(async () => {
  // Build into a folder of its own so this test never races a concurrent `npm run build`.
  await mkdir(join(coreDir, 'test-artifacts'), { recursive: true });
  outDir = await mkdtemp(join(coreDir, 'test-artifacts', 'dual-'));
  await build({
    entry: { index: join(coreDir, 'src/index.ts') },
    format: ['esm', 'cjs'],
    outDir,
    target: 'node20',
    platform: 'node',
    dts: false,
    silent: true,
    config: false,
  });
}, 60_000);

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
});
