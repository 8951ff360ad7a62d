import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeSuite } from '@eventlog/conformance';
import { type EventLog, EventLogService } from '@eventlog/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConfigTarget, knexTarget, mongooseTarget, sequelizeTarget } from './config-targets';
import { cli, cliBuildRoot } from './support';

const ROWS = 40;
// Entries one day apart from 2024-01-01: a purge before 2024-01-11 deletes the first 10.
const day = (i: number) => new Date(Date.UTC(2024, 0, 1 + i));

async function all(service: EventLogService): Promise<EventLog[]> {
  const page = await service.list({ order: 'asc', limit: 1000 });
  return page.results;
}

for (const target of [knexTarget, sequelizeTarget, mongooseTarget] as ConfigTarget[]) {
  describeSuite(
    `eventlog --config on a ${target.name} log`,
    { name: target.name, unavailable: target.unavailable() },
    () => {
      let dir: string;
      let config: string;
      let opened: Awaited<ReturnType<ConfigTarget['open']>>;
      let service: EventLogService;

      beforeAll(async () => {
        // Beside the run's build: the config's imports resolve to it, as an app's to its own.
        dir = await mkdtemp(join(cliBuildRoot(), 'config-'));
        opened = await target.open(dir);
        service = new EventLogService(opened.storage, { integrity: {} });
        await service.logMany(
          Array.from({ length: ROWS }, (_, i) => ({
            template: `entry ${i}`,
            tool: i % 2 === 0 ? 'billing' : 'items',
            action: 'update',
            timestamp: day(i),
          })),
        );
        config = join(dir, `eventlog.config.${target.extension}`);
        await writeFile(config, opened.configSource);
      });
      afterAll(async () => {
        await opened?.close();
        if (dir) await rm(dir, { recursive: true, force: true });
      });

      it('export --format ndjson gives every stored entry', async () => {
        const run = await cli(['export', '--config', config, '--format', 'ndjson']);
        expect(run).toMatchObject({ code: 0, stderr: '' });
        const exported = run.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line).id);
        expect(exported).toEqual((await all(service)).map((e) => e.id));
      });

      it('verify: exit 0 on the intact chain, 1 once a stored row is altered', async () => {
        expect(await cli(['verify', '--config', config])).toMatchObject({ code: 0, stderr: '' });
        const victim = (await all(service))[ROWS - 1] as EventLog;
        await opened.tamper(victim.id);
        const broken = await cli(['verify', '--config', config]);
        expect(broken.code).toBe(1);
        expect(broken.stdout).toContain(`seq ${victim.seq}`);
        await opened.untamper(victim.id, victim.message);
        expect((await cli(['verify', '--config', config])).code).toBe(0);
      });

      it('checkpoint prints the head; purge deletes the prefix and the chain still verifies', async () => {
        const checkpoint = await cli(['checkpoint', '--config', config]);
        expect(checkpoint.code).toBe(0);
        expect(JSON.parse(checkpoint.stdout)).toMatchObject({ partition: 'default', seq: ROWS });
        const purge = await cli(['purge', '--config', config, '--before', '2024-01-11']);
        expect(purge).toMatchObject({
          code: 0,
          stdout: expect.stringMatching(/^10 entries deleted/),
        });
        // The purge keeps the rest and appends the record of its cut to the chain.
        expect(await all(service)).toHaveLength(ROWS - 10 + 1);
        expect((await cli(['verify', '--config', config])).code).toBe(0);
      });

      it('migrate refuses a service config: the adapter creates its own table', async () => {
        const run = await cli(['migrate', '--config', config]);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain('is created by its adapter');
      });
    },
  );
}
