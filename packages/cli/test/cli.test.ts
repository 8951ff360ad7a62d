import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainHeadsTableName, createEventLogTable, knexStorage } from '@eventlog/adapter-knex';
import { describeSuite } from '@eventlog/conformance';
import { type EventLog, EventLogService } from '@eventlog/core';
import { postgresUnavailable, postgresUrl } from '@eventlog/test-servers/postgres';
import { freePort } from '@eventlog/test-servers/server-process';
import { parse } from 'csv-parse/sync';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../src/csv';
import { COMMANDS } from '../src/main';
import { cli, TRICKY } from './support';

const table = `eventlog_cli_${Math.random().toString(36).slice(2, 10)}`;

/** Every entry, oldest first, read through the service the way export pages. */
async function all(service: EventLogService): Promise<EventLog[]> {
  const out: EventLog[] = [];
  let cursor: string | null = null;
  do {
    const page = await service.list({ order: 'asc', limit: 1000, cursor });
    out.push(...page.results);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return out;
}

/** A CSV record back to an entry: one leading ' removed, empty = null, JSON fields parsed. */
function fromCsv(record: Record<string, string>): EventLog {
  const cell = (c: string) => {
    const text = record[c] ?? '';
    return text.startsWith("'") ? text.slice(1) : text;
  };
  const out: Record<string, unknown> = {};
  for (const column of CSV_COLUMNS) {
    const text = cell(column);
    if (text === '') out[column] = null;
    else if (column === 'timestamp') out[column] = new Date(text);
    else if (column === 'seq') out[column] = Number(text);
    else if (['values', 'changes', 'metadata'].includes(column)) out[column] = JSON.parse(text);
    else out[column] = text;
  }
  return out as unknown as EventLog;
}

async function seed(service: EventLogService, count: number): Promise<void> {
  const batch = 500;
  for (let start = 0; start < count; start += batch) {
    await service.logMany(
      Array.from({ length: Math.min(batch, count - start) }, (_, k) => {
        const i = start + k;
        return {
          template: `${TRICKY[i % TRICKY.length]} #{n__v}`,
          values: { n__v: { v: i } },
          tool: i % 3 === 0 ? 'billing' : 'items',
          action: 'update',
          object: { type: 'Item', id: i % 50 },
          changes: { oldValue: { note: TRICKY[(i + 1) % TRICKY.length] }, newValue: { n: i } },
          metadata: i % 2 === 0 ? { ip: '127.0.0.1' } : undefined,
          timestamp: new Date(Date.UTC(2024, 0, 1) + i * 60_000),
        };
      }),
    );
  }
}

interface Target {
  name: string;
  unavailable: string | undefined;
  rows: number;
  open(): Promise<{ knex: Knex; db: string; cleanup(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'SQLite file',
    unavailable: undefined,
    rows: 3000,
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'eventlog-cli-'));
      const file = join(dir, 'log.db');
      const knex = knexFactory({
        client: 'better-sqlite3',
        connection: { filename: file },
        useNullAsDefault: true,
      });
      return {
        knex,
        db: `sqlite:${file}`,
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'PostgreSQL',
    unavailable: postgresUnavailable(),
    rows: 2000,
    async open() {
      const knex = knexFactory({
        client: 'pg',
        connection: postgresUrl(),
        pool: { min: 0, max: 2 },
      });
      return { knex, db: postgresUrl(), cleanup: async () => {} };
    },
  },
];

for (const target of targets) {
  describeSuite(
    `eventlog CLI on ${target.name}`,
    { name: target.name, unavailable: target.unavailable },
    () => {
      let knex: Knex;
      let db: string;
      let cleanup: () => Promise<void>;
      let service: EventLogService;
      const base = () => ['--db', db, '--table', table];

      beforeAll(async () => {
        ({ knex, db, cleanup } = await target.open());
        const migrated = await cli(['migrate', ...base()]);
        expect(migrated).toMatchObject({
          code: 0,
          stdout: `created table "${table}" with its indexes and chain-heads table\n`,
        });
        const again = await cli(['migrate', ...base()]);
        expect(again).toMatchObject({ code: 0, stdout: `table "${table}" is up to date\n` });
        await createEventLogTable(knex, { tableName: table });
        service = new EventLogService(knexStorage(knex, { tableName: table }), { integrity: {} });
        await seed(service, target.rows);
      });
      afterAll(async () => {
        await knex?.schema.dropTableIfExists(chainHeadsTableName(table));
        await knex?.schema.dropTableIfExists(table);
        await knex?.destroy();
        await cleanup?.();
      });

      it('export --format csv parses back (csv-parse) to the stored entries', async () => {
        const run = await cli(['export', ...base(), '--format', 'csv']);
        expect(run.code).toBe(0);
        expect(run.stderr).toBe('');
        const records = parse(run.stdout, { columns: true, record_delimiter: '\r\n' }) as Record<
          string,
          string
        >[];
        expect(Object.keys(records[0] ?? {})).toEqual([...CSV_COLUMNS]);
        expect(records.map(fromCsv)).toEqual(await all(service));
        // Formula starters never reach a cell's first character.
        expect(records.some((r) => /^[=+\-@]/.test(r.message ?? ''))).toBe(false);
      });

      it('export --format ndjson with filters gives what list() gives', async () => {
        const run = await cli([
          'export',
          ...base(),
          '--format',
          'ndjson',
          '--tool',
          'billing',
          '--search',
          'lines',
        ]);
        expect(run.code).toBe(0);
        const lines = run.stdout
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l));
        const expected = (await all(service)).filter(
          (e) => e.tool === 'billing' && e.message.includes('lines'),
        );
        expect(expected.length).toBeGreaterThan(0);
        expect(lines.length).toBe(expected.length);
        expect(lines).toEqual(JSON.parse(JSON.stringify(expected)));
      });

      it('verify: exit 0 on the intact chain, 1 with the seq once a row is altered', async () => {
        const ok = await cli(['verify', ...base()]);
        expect(ok).toMatchObject({
          code: 0,
          stdout: `default: ok (${target.rows} entries verified)\n`,
        });
        const [victim] = await knex(table).where('seq', 7).select('id', 'message');
        await knex(table).where('id', victim.id).update({ message: 'rewritten' });
        try {
          const broken = await cli(['verify', ...base(), '--json']);
          expect(broken.code).toBe(1);
          expect(JSON.parse(broken.stdout)).toMatchObject({
            ok: false,
            checked: 6,
            firstBroken: { seq: 7 },
          });
        } finally {
          await knex(table).where('id', victim.id).update({ message: victim.message });
        }
      });

      it('checkpoint signed to a file, verify against it, a replayed one exits 1', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'eventlog-cp-'));
        try {
          const keys = generateKeyPairSync('ed25519');
          await writeFile(
            join(dir, 'key.pem'),
            keys.privateKey.export({ type: 'pkcs8', format: 'pem' }),
          );
          await writeFile(
            join(dir, 'pub.pem'),
            keys.publicKey.export({ type: 'spki', format: 'pem' }),
          );
          const take = (name: string) =>
            cli([
              'checkpoint',
              ...base(),
              '--private-key',
              join(dir, 'key.pem'),
              '--out',
              join(dir, name),
            ]);
          expect((await take('old.json')).code).toBe(0);
          const old = JSON.parse(await readFile(join(dir, 'old.json'), 'utf8'));
          expect(old).toMatchObject({
            partition: 'default',
            seq: target.rows,
            signature: expect.any(String),
          });
          await service.log({ template: 'one more', tool: 'items', action: 'create' });
          expect((await take('new.json')).code).toBe(0);
          const verifyWith = (name: string) =>
            cli([
              'verify',
              ...base(),
              '--checkpoint',
              join(dir, name),
              '--public-key',
              join(dir, 'pub.pem'),
            ]);
          expect((await verifyWith('new.json')).code).toBe(0);
          const replay = await verifyWith('old.json');
          expect(replay.code).toBe(1);
          expect(replay.stdout).toContain(
            `BROKEN at seq ${target.rows}: the checkpoint at seq ${target.rows} is stale`,
          );
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });

      it('verify lists every partition and every finding; checkpoint refuses a missing chain', async () => {
        const other = `${table}_parts`;
        const dir = await mkdtemp(join(tmpdir(), 'eventlog-parts-'));
        try {
          await createEventLogTable(knex, { tableName: other });
          const parts = new EventLogService(knexStorage(knex, { tableName: other }), {
            integrity: { partition: 'tool' },
          });
          const log = (tool: string, n: number) =>
            parts.log({ template: `${tool} ${n}`, tool, action: 'update' });
          for (let n = 1; n <= 2; n++) await log('alpha', n);
          for (let n = 1; n <= 3; n++) await log('beta', n);
          const db2 = ['--db', db, '--table', other];
          expect(await cli(['verify', ...db2])).toMatchObject({
            code: 0,
            stdout: 'alpha: ok (2 entries verified)\nbeta: ok (3 entries verified)\n',
          });
          // A head row deleted by hand: its partition is still listed, and broken.
          await knex(chainHeadsTableName(other)).where('chain', 'beta').del();
          const noHead = await cli(['verify', ...db2]);
          expect(noHead.code).toBe(1);
          expect(noHead.stdout).toBe(
            'alpha: ok (2 entries verified)\nbeta: BROKEN at seq 1: partition "beta" has entries but no head row: it was deleted outside eventlog (0 entries verified before it)\n',
          );
          // A row forged with no chain, found through the config's partitioning.
          const [first] = await knex(other).where({ chain: 'alpha', seq: 1 }).select('*');
          const { id: _id, chain: _c, seq: _s, prev_hash: _p, hash: _h, ...row } = first;
          await knex(other).insert({ ...row, message: 'forged' });
          const config = join(dir, 'eventlog.config.json');
          const connection = db.startsWith('sqlite:') ? { filename: db.slice(7) } : db;
          const client = db.startsWith('sqlite:') ? 'better-sqlite3' : 'pg';
          await writeFile(
            config,
            JSON.stringify({
              client,
              connection,
              tableName: other,
              integrity: { partition: 'tool' },
            }),
          );
          const forged = await cli(['verify', '--config', config]);
          expect(forged.code).toBe(1);
          expect(forged.stdout).toMatch(
            /^alpha: 1 row stored outside the chain \(first id \d+\), 2 chained entries verified\nbeta: BROKEN at seq 1: /,
          );
          const typo = await cli(['verify', ...db2, '--partition', 'alpah']);
          expect(typo).toMatchObject({
            code: 1,
            stdout: 'alpah: BROKEN: partition "alpah" does not exist: no head row, no entries\n',
          });
          // No "default" chain here: nothing to sign, so no empty genesis checkpoint.
          const checkpoint = await cli(['checkpoint', ...db2]);
          expect(checkpoint.code).toBe(2);
          expect(checkpoint.stdout).toBe('');
          expect(checkpoint.stderr).toContain('partition: "default" has no head row');
        } finally {
          await knex.schema.dropTableIfExists(chainHeadsTableName(other));
          await knex.schema.dropTableIfExists(other);
          await rm(dir, { recursive: true, force: true });
        }
        // Six CLI processes.
      }, 120_000);

      it('purge --dry-run counts, purge deletes a prefix and the chain still verifies', async () => {
        const cutoff = new Date(Date.UTC(2024, 0, 1) + 100 * 60_000).toISOString();
        const dry = await cli(['purge', ...base(), '--before', cutoff, '--dry-run']);
        expect(dry).toMatchObject({ code: 0 });
        expect(dry.stdout).toMatch(/^100 entries older than/);
        const done = await cli(['purge', ...base(), '--before', cutoff]);
        expect(done.stdout).toMatch(/^100 entries deleted/);
        expect((await cli(['verify', ...base()])).code).toBe(0);
      });
    },
  );
}

describe('eventlog CLI usage', () => {
  it('--help for each command, and the main help', async () => {
    for (const command of COMMANDS) {
      const run = await cli([command.name, '--help']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain(`Usage: eventlog ${command.name}`);
    }
    expect((await cli(['--help'])).stdout).toMatch(/Exit codes: 0 ok, 1 verification failed/);
  }, 60_000);

  it('usage errors exit 2, database errors exit 3', async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
    const unknownOption = await cli(['verify', '--db', 'sqlite:x.db', '--frob']);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("Unknown option '--frob'");
    expect((await cli(['purge', '--db', 'sqlite:x.db'])).stderr).toContain('--before is required');
    expect((await cli(['purge', '--db', 'sqlite:x.db', '--before', 'yesterday'])).code).toBe(2);
    expect((await cli(['export', '--db', 'redis://x', '--format', 'csv'])).code).toBe(2);
    const missingDir = await cli([
      'export',
      '--db',
      'sqlite:/nonexistent/dir/x.db',
      '--format',
      'csv',
    ]);
    expect(missingDir.code).toBe(3);
    expect(missingDir.stderr).toMatch(/database error/);
  }, 60_000);

  it('never prints the password of a URL: usage errors, unknown commands, database errors', async () => {
    const refused = await freePort();
    const runs = [
      ['export', '--db', 'POSTGRES://app:S3cret@db.example/app', '--format', 'csv'],
      ['verify', '--db', 'mariadb://root:S3cret@127.0.0.1:3306/audit'],
      ['verify', '--db', `mysqlx://u:${'p'.repeat(60)}S3cret@h/db`],
      ['verify', '--db', 'app:S3cret@db.example/app'],
      ['verify', '--db', 'sqlite:x.db', 'postgres://app:S3cret@db.example/app'],
      ['postgres://app:S3cret@db.example/app'],
      ['verify', '--db', `postgres://app:S3cret@127.0.0.1:${refused}/app`],
    ];
    for (const args of runs) {
      const run = await cli(args);
      expect(run.code, args.join(' ')).toBeGreaterThanOrEqual(2);
      expect(run.stdout + run.stderr, args.join(' ')).not.toContain('S3cret');
    }
    const echoed = await cli(['verify', '--db', 'POSTGRES://app:S3cret@db.example/app']);
    expect(echoed.stderr).toContain('not "POSTGRES://***@db.example/app"');
    const refusedRun = await cli([
      'verify',
      '--db',
      `postgres://app:S3cret@127.0.0.1:${refused}/x`,
    ]);
    expect(refusedRun.code).toBe(3);
  }, 120_000);
});
