import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describeSuite } from '@eventlog/conformance';
import { EventLogService } from '@eventlog/core';
import { mariadbUrl } from '@eventlog/test-servers/mariadb';
import { postgresUrl } from '@eventlog/test-servers/postgres';
import { expect, it } from 'vitest';
import { chainHeadsTableName, createEventLogTable, knexStorage } from '../src/index';
import { mariadb, postgres, randomTable, sqliteFile } from './support';

const run = promisify(execFile);
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const child = fileURLToPath(new URL('./chain-writer-child.ts', import.meta.url));

/** 2 processes x 16 concurrent log() calls on one partition. */
const PROCESSES = 2;
const PER_PROCESS = 16;

for (const backend of [sqliteFile, postgres, mariadb]) {
  describeSuite(
    `chain under concurrent writers: knex (${backend.name})`,
    { name: backend.name, unavailable: backend.unavailable },
    () => {
      it(`${PROCESSES} processes x ${PER_PROCESS} writers on one partition: seq gap-free, chain verifies`, async () => {
        const { knex, close } = await backend.open();
        const table = randomTable();
        try {
          await createEventLogTable(knex, { tableName: table });
          const connection =
            backend === postgres
              ? postgresUrl()
              : backend === mariadb
                ? mariadbUrl()
                : (knex.client.config.connection as { filename: string }).filename;
          const client = backend === postgres ? 'pg' : backend === mariadb ? 'mysql' : 'sqlite';
          const outputs = await Promise.all(
            Array.from({ length: PROCESSES }, (_, p) =>
              run(
                tsx,
                [
                  '--conditions=@eventlog/source',
                  child,
                  client,
                  connection,
                  table,
                  String(PER_PROCESS),
                  `p${p}`,
                ],
                { timeout: 60_000 },
              ),
            ),
          );
          const seqs = outputs.flatMap((o) => JSON.parse(o.stdout) as number[]);
          const total = PROCESSES * PER_PROCESS;
          expect(seqs.sort((a, b) => a - b)).toEqual(
            Array.from({ length: total }, (_, i) => i + 1),
          );
          const service = new EventLogService(knexStorage(knex, { tableName: table }), {
            integrity: {},
          });
          expect(await service.verify()).toMatchObject({
            ok: true,
            partitions: [{ partition: 'default', ok: true, checked: total }],
          });
        } finally {
          await knex.schema.dropTableIfExists(chainHeadsTableName(table));
          await knex.schema.dropTableIfExists(table);
          await close();
        }
      }, 90_000);
    },
  );
}
