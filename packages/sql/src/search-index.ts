/**
 * The index that serves `search` (a case-insensitive substring of the message), per dialect:
 * - PostgreSQL: a GIN trigram index (`pg_trgm`) on `tool` and `message` (the `tool` key from
 *   `btree_gin`), which serves the adapters' `message ILIKE '%…%'` as it is, alone or inside a
 *   tool; on `message` alone when `btree_gin` may not be created;
 * - SQLite: an FTS5 table with the `trigram` tokenizer over `message` (external content: it keeps
 *   no copy of the text), kept in step by triggers, so every insert and delete, the adapter's or
 *   another tool's, updates it in the same transaction;
 * - MySQL/MariaDB: none. Its FULLTEXT indexes match words, not substrings: search stays a scan.
 */

import { ConfigurationError } from '@eventlog/core';
import type { SqlDialect } from './dialect';
import { indexName } from './layout';
import type { SqlSession } from './session';
import type { Statement } from './statement';

/** The SQLite FTS5 table that indexes the messages of `table`. */
export const searchTableName = (table: string): string => `${table}_search`;

/** The PostgreSQL trigram index on the message of `table`. */
export const messageTrigramIndexName = (table: string): string =>
  indexName(table, 'message_trgm_idx');

/** The PostgreSQL trigram index on the tool and the message of `table` (`btree_gin`). */
export const toolMessageTrigramIndexName = (table: string): string =>
  indexName(table, 'tool_message_trgm_idx');

/** Where the search index goes: the raw table name and how the adapter quotes (qualified) names. */
export interface SearchIndexTarget {
  dialect: SqlDialect;
  /** The log table's name as configured (`schema.table` where the dialect has schemas). */
  table: string;
  /** Quotes a possibly qualified name (each part of `schema.table`) with the dialect's quote. */
  quote(name: string): string;
}

// Only names go into these statements, as quoted identifiers or literals: no bound values, so
// they run in every adapter's placeholder style.
const sql = (text: string): Statement => ({ sql: text, bindings: [] });

/** The schema of `name` (`schema.table`), or undefined when it has none. */
const schemaOf = (name: string): string | undefined => {
  const dot = name.indexOf('.');
  return dot < 0 ? undefined : name.slice(0, dot);
};

/** The bare table name (without its schema). */
const bareName = (name: string): string => name.slice(name.indexOf('.') + 1);

/** The quoted index `name(table)` in the schema of `table`. */
function qualifiedIndex(
  table: string,
  name: (table: string) => string,
  quote: (name: string) => string,
): string {
  const [schema, index] = [schemaOf(table), name(bareName(table))];
  return quote(schema ? `${schema}.${index}` : index);
}

/** A SQL string literal. */
const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

const TRGM_SCHEMA = sql(
  "SELECT current_database() AS db, current_user AS role, (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm') AS schema",
);

/**
 * The schema of the `pg_trgm` extension, creating the extension when it is missing.
 *
 * @throws ConfigurationError when it cannot be created (the role lacks the CREATE privilege on
 * the database, or the server lacks PostgreSQL's contrib package), saying what a superuser runs.
 */
async function trigramSchema(session: SqlSession): Promise<string> {
  type Found = { db: string; role: string; schema: string | null };
  const [found] = await session.query<Found>(TRGM_SCHEMA);
  if (found?.schema) return found.schema;
  try {
    await session.execute(sql('CREATE EXTENSION IF NOT EXISTS pg_trgm'));
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const error = new ConfigurationError(
      `The search index needs the PostgreSQL extension pg_trgm, which is not installed in database "${found?.db}" and which role "${found?.role}" could not create (${reason}). A superuser must run, connected to database "${found?.db}": CREATE EXTENSION IF NOT EXISTS pg_trgm; (the server needs PostgreSQL's contrib package, e.g. Debian's postgresql-contrib), then run the migration again.`,
    );
    throw Object.assign(error, { cause });
  }
  const [created] = await session.query<Found>(TRGM_SCHEMA);
  return created?.schema ?? 'public';
}

// A block with an exception handler runs in a subtransaction: when the role may not create the
// extension (or the server lacks it) the migration's transaction goes on, and the catalog says.
const TRY_BTREE_GIN = sql(
  "DO 'BEGIN CREATE EXTENSION IF NOT EXISTS btree_gin; EXCEPTION WHEN OTHERS THEN NULL; END'",
);
const BTREE_GIN = sql("SELECT 1 AS found FROM pg_extension WHERE extname = 'btree_gin'");

/** Whether `btree_gin` is installed, creating it first when it is missing and the role may. */
async function btreeGin(session: SqlSession): Promise<boolean> {
  if ((await session.query(BTREE_GIN)).length > 0) return true;
  await session.execute(TRY_BTREE_GIN);
  return (await session.query(BTREE_GIN)).length > 0;
}

/** The SQLite triggers that keep the FTS table in step, by name suffix. */
function sqliteTriggers(table: string, fts: string, q: (name: string) => string) {
  const insert = `INSERT INTO ${q(fts)} (rowid, ${q('message')}) VALUES (new.${q('id')}, new.${q('message')})`;
  const remove = `INSERT INTO ${q(fts)} (${q(fts)}, rowid, ${q('message')}) VALUES ('delete', old.${q('id')}, old.${q('message')})`;
  return {
    ai: `AFTER INSERT ON ${q(table)} BEGIN ${insert}; END`,
    ad: `AFTER DELETE ON ${q(table)} BEGIN ${remove}; END`,
    // The log is append-only; this keeps the index right when someone edits a row by hand.
    au: `AFTER UPDATE OF ${q('id')}, ${q('message')} ON ${q(table)} BEGIN ${remove}; ${insert}; END`,
  };
}

/**
 * Creates the search index of the log table unless it exists, and indexes the rows already
 * stored (idempotent). Run it through the session of the migration's transaction. On PostgreSQL it
 * creates `btree_gin` when it may and then indexes tool and message together (dropping an index of
 * the message alone left by an earlier run); when it may not, it indexes the message alone.
 *
 * @throws ConfigurationError on PostgreSQL when `pg_trgm` is missing and cannot be created.
 */
export async function createSearchIndex(
  session: SqlSession,
  { dialect, table, quote }: SearchIndexTarget,
): Promise<void> {
  if (dialect.kind === 'postgres') {
    const schema = await trigramSchema(session);
    const message = `${dialect.quote('message')} ${dialect.quote(schema)}.gin_trgm_ops`;
    const create = (index: string, columns: string) =>
      session.execute(
        sql(
          `CREATE INDEX IF NOT EXISTS ${dialect.quote(index)} ON ${quote(table)} USING gin (${columns})`,
        ),
      );
    if (!(await btreeGin(session))) {
      await create(messageTrigramIndexName(bareName(table)), message);
      return;
    }
    // `btree_gin`'s default operator class for the tool's type; the one index serves a search
    // alone as well (a GIN index serves any of its columns), so the one on the message goes.
    await create(
      toolMessageTrigramIndexName(bareName(table)),
      `${dialect.quote('tool')}, ${message}`,
    );
    await session.execute(
      sql(`DROP INDEX IF EXISTS ${qualifiedIndex(table, messageTrigramIndexName, quote)}`),
    );
  } else if (dialect.kind === 'sqlite') {
    const fts = searchTableName(table);
    if ((await session.query(searchTableExists(fts))).length > 0) return;
    await session.execute(
      sql(
        `CREATE VIRTUAL TABLE ${quote(fts)} USING fts5(${dialect.quote('message')}, content=${literal(table)}, content_rowid='id', tokenize='trigram case_sensitive 0')`,
      ),
    );
    for (const [suffix, body] of Object.entries(sqliteTriggers(table, fts, quote))) {
      await session.execute(sql(`CREATE TRIGGER ${quote(`${fts}_${suffix}`)} ${body}`));
    }
    // External content: 'rebuild' reads every stored message back into the index.
    await session.execute(sql(`INSERT INTO ${quote(fts)} (${quote(fts)}) VALUES ('rebuild')`));
  }
}

/** Removes the search index of the log table (its triggers first on SQLite); idempotent. */
export async function dropSearchIndex(
  session: SqlSession,
  { dialect, table, quote }: SearchIndexTarget,
): Promise<void> {
  if (dialect.kind === 'postgres') {
    for (const name of [messageTrigramIndexName, toolMessageTrigramIndexName]) {
      await session.execute(sql(`DROP INDEX IF EXISTS ${qualifiedIndex(table, name, quote)}`));
    }
  } else if (dialect.kind === 'sqlite') {
    const fts = searchTableName(table);
    for (const suffix of Object.keys(sqliteTriggers(table, fts, quote))) {
      await session.execute(sql(`DROP TRIGGER IF EXISTS ${quote(`${fts}_${suffix}`)}`));
    }
    await session.execute(sql(`DROP TABLE IF EXISTS ${quote(fts)}`));
  }
}

/** One row when the SQLite FTS table `fts` exists, none otherwise. */
export const searchTableExists = (fts: string): Statement =>
  sql(`SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ${literal(fts)}`);

/**
 * One row when a GIN index of the PostgreSQL table `quoted` (quoted, possibly schema-qualified)
 * has `tool` as its first column: the trigram index of tool and message (`btree_gin`).
 */
export const toolTrigramIndexExists = (quoted: string): Statement =>
  sql(
    `SELECT 1 AS found FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam JOIN pg_attribute t ON t.attrelid = i.indrelid AND t.attnum = i.indkey[0] WHERE i.indrelid = to_regclass(${literal(quoted)}) AND a.amname = 'gin' AND t.attname = 'tool'`,
  );
