import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeSuite } from '@eventlog/conformance';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createConsumerProject, PUBLISHED, ROOT, run, unbuilt } from '../src/consumer-project';
import { readAllSnippets, snippetFile } from '../src/snippets';

const snippets = await readAllSnippets(ROOT);
const checked = snippets.filter((s) => s.mode !== 'partial');

const names = PUBLISHED.map((p) => `@eventlog/${p}`);
// The conformance suites import vitest, which is ESM-only: so are they.
const required = names.filter((n) => n !== '@eventlog/conformance');
const TSC_OPTIONS = {
  strict: true,
  target: 'es2022',
  lib: ['es2023'],
  types: ['node'],
  skipLibCheck: true,
  rootDir: 'snippets',
  // What every NestJS app sets: the Nest snippet declares its module and controllers with them.
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
};

/** tsc's diagnostics per snippet file, under one module resolution. */
async function typecheck(dir: string, config: string): Promise<Map<string, string[]>> {
  const tsc = join(dir, 'node_modules/typescript/bin/tsc');
  const out = await run(process.execPath, [tsc, '-p', config, '--pretty', 'false'], {
    cwd: dir,
  }).catch((e: { stdout: string }) => e);
  const errors = new Map<string, string[]>();
  for (const line of out.stdout.split('\n')) {
    const file = /^snippets\/([^(]+)\(/.exec(line)?.[1];
    if (file) errors.set(file, [...(errors.get(file) ?? []), line]);
    else if (line.trim()) errors.set('', [...(errors.get('') ?? []), line]);
  }
  return errors;
}

describeSuite(
  'a fresh project installing the packed tarballs',
  { name: 'consumer project', unavailable: unbuilt() },
  () => {
    let dir: string;
    const diagnostics: Record<string, Map<string, string[]>> = {};

    beforeAll(async () => {
      dir = await createConsumerProject();
      await mkdir(join(dir, 'snippets'));
      for (const s of checked) await writeFile(join(dir, 'snippets', snippetFile(s)), s.code);
      await writeFile(
        join(dir, 'vitest.config.mjs'),
        "export default { test: { include: ['snippets/*.ts'] } };\n",
      );
      const configs = {
        nodenext: { module: 'nodenext', moduleResolution: 'nodenext', outDir: 'out' },
        bundler: { module: 'esnext', moduleResolution: 'bundler', noEmit: true },
      };
      for (const [name, options] of Object.entries(configs)) {
        const config = `tsconfig.${name}.json`;
        await writeFile(
          join(dir, config),
          JSON.stringify({
            compilerOptions: { ...TSC_OPTIONS, ...options },
            include: ['snippets'],
          }),
        );
        diagnostics[name] = await typecheck(dir, config);
      }
    }, 240_000);
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('imports every package as ESM and requires it as CJS', async () => {
      const esm = `for (const n of ${JSON.stringify(names)}) console.log(n, Object.keys(await import(n)).length);`;
      const cjs = `for (const n of ${JSON.stringify(required)}) console.log(n, Object.keys(require(n)).length);`;
      for (const [flag, code, expected] of [
        ['--input-type=module', esm, names],
        ['--input-type=commonjs', cjs, required],
      ] as const) {
        const { stdout } = await run(process.execPath, [flag, '-e', code], {
          cwd: dir,
        });
        const counts = stdout
          .trim()
          .split('\n')
          .map((line) => line.split(' '));
        expect(counts.map(([n]) => n)).toEqual(expected);
        for (const [n, count] of counts) expect(Number(count), n).toBeGreaterThan(0);
      }
    });

    it('installs @eventlog/conformance without the private database launchers', async () => {
      const installed = join(dir, 'node_modules/@eventlog/conformance');
      const pkg = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
      expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual([
        'csv-parse',
        'fast-check',
        'supertest',
      ]);
      expect(pkg.peerDependencies?.vitest).toMatch(/^\^/);
      expect(existsSync(join(dir, 'node_modules/@eventlog/test-servers'))).toBe(false);
      // A launcher spawns a server process: nothing shipped starts one.
      const files = await readdir(installed, { recursive: true });
      for (const file of files.filter((f) => /\.(js|ts)$/.test(f))) {
        expect(await readFile(join(installed, file), 'utf8'), file).not.toMatch(
          /child_process|test-servers/,
        );
      }
    });

    it('runs the CLI from its tarball: migrate says it created the table; a missing driver names its package', async () => {
      const eventlog = join(dir, 'node_modules/.bin/eventlog');
      const migrated = await run(eventlog, ['migrate', '--db', 'sqlite:./cli.db'], { cwd: dir });
      expect(migrated.stdout).toBe(
        'created table "eventlog" with its indexes and chain-heads table\n',
      );
      const again = await run(eventlog, ['migrate', '--db', 'sqlite:./cli.db'], { cwd: dir });
      expect(again.stdout).toBe('table "eventlog" is up to date\n');
      for (const [url, driver] of [
        ['postgres://127.0.0.1:1/app', 'pg'],
        ['mysql://127.0.0.1:1/app', 'mysql2'],
      ]) {
        const missing = await run(eventlog, ['verify', '--db', url as string], { cwd: dir }).then(
          () => ({ code: 0, stderr: '' }),
          (e: { code: number; stderr: string }) => e,
        );
        expect(missing.code).toBe(2);
        expect(missing.stderr).toContain(
          `"${driver}", which is not installed: npm install ${driver}`,
        );
      }
    });

    it('npx eventlog in the clone runs the workspace CLI, never a registry package', async () => {
      // `--no`: npx fails rather than install a package named `eventlog` from the registry.
      const db = `sqlite:${join(dir, 'clone.db')}`;
      const { stdout } = await run('npx', ['--no', 'eventlog', 'migrate', '--db', db], {
        cwd: ROOT,
      });
      expect(stdout).toBe('created table "eventlog" with its indexes and chain-heads table\n');
    });

    for (const snippet of snippets) {
      if (snippet.mode === 'partial') {
        it.skip(`${snippet.name} — partial: ${snippet.reason}`, () => {});
        continue;
      }
      const file = snippetFile(snippet);
      const runs = {
        run: ', and runs on SQLite',
        vitest: ', and its suite passes under vitest',
        typecheck: ` (not run: ${snippet.reason})`,
      }[snippet.mode];
      it(`${snippet.name} type-checks --strict under nodenext and bundler${runs}`, async () => {
        expect(diagnostics.nodenext?.get('') ?? []).toEqual([]);
        expect(diagnostics.nodenext?.get(file) ?? []).toEqual([]);
        expect(diagnostics.bundler?.get(file) ?? []).toEqual([]);
        if (snippet.mode === 'vitest') {
          // The project's own vitest (the peer of @eventlog/conformance), as an adapter author runs
          // it; without this run's VITEST_* variables, which would make it a worker of this run.
          const env = Object.fromEntries(
            Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')),
          );
          const vitest = join(dir, 'node_modules/vitest/vitest.mjs');
          await run(process.execPath, [vitest, 'run', `snippets/${file}`], {
            cwd: dir,
            env,
            timeout: 120_000,
          });
          return;
        }
        if (snippet.mode !== 'run') return;
        const cwd = join(dir, 'runs', file);
        await mkdir(cwd, { recursive: true });
        // A script that leaves a connection open never exits: the timeout fails it.
        await run(process.execPath, [join(dir, 'out', file.replace(/\.ts$/, '.js'))], {
          cwd,
          timeout: 20_000,
        });
      });
    }
  },
);
