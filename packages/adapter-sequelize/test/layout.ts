import { QueryTypes, type Sequelize } from 'sequelize';

/** One column as the database describes it, normalised so two creators can be compared. */
interface ColumnShape {
  name: string;
  type: string;
  nullable: boolean;
  primaryKey?: boolean;
  serial?: boolean;
}

/** One index: its name without the table prefix, columns in order, uniqueness. */
interface IndexShape {
  name: string;
  columns: string[];
  unique: boolean;
}

/** The table's columns and indexes as stored in the catalog, with the table name factored out. */
export async function tableLayout(
  sequelize: Sequelize,
  table: string,
): Promise<{ columns: ColumnShape[]; indexes: IndexShape[] }> {
  const select = <T extends object>(sql: string, bind: unknown[] = []) =>
    sequelize.query<T>(sql, { type: QueryTypes.SELECT, raw: true, bind });
  const strip = (name: string) => name.replace(table, '<table>');
  if (sequelize.getDialect() === 'postgres') {
    const columns = await select<Record<string, string | number | null>>(
      `SELECT column_name, data_type, is_nullable, character_maximum_length, datetime_precision, column_default
       FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
      [table],
    );
    const indexes = await select<{ indexname: string; indexdef: string }>(
      'SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1 ORDER BY indexname',
      [table],
    );
    return {
      columns: columns.map((c) => ({
        name: String(c.column_name),
        type: `${c.data_type}(${c.character_maximum_length ?? c.datetime_precision ?? ''})`,
        nullable: c.is_nullable === 'YES',
        serial: String(c.column_default ?? '').startsWith('nextval('),
      })),
      // The search index is compared apart (`searchLayout`): Model.sync() does not create it.
      indexes: indexes
        .filter((i) => !i.indexdef.includes(' USING gin '))
        .map((i) => ({
          name: strip(i.indexname),
          columns: (/\((.*)\)$/.exec(i.indexdef)?.[1] ?? '')
            .split(', ')
            .map((c) => c.replace(/"/g, '')),
          unique: i.indexdef.startsWith('CREATE UNIQUE'),
        })),
    };
  }
  const columns = await select<{ name: string; type: string; notnull: number; pk: number }>(
    `SELECT name, type, "notnull", pk FROM pragma_table_info($1) ORDER BY cid`,
    [table],
  );
  const indexes = await select<{ name: string; unique: number }>(
    `SELECT name, "unique" FROM pragma_index_list($1) WHERE origin != 'pk' ORDER BY name`,
    [table],
  );
  const shaped: IndexShape[] = [];
  for (const index of indexes) {
    const cols = await select<{ name: string }>(
      'SELECT name FROM pragma_index_info($1) ORDER BY seqno',
      [index.name],
    );
    shaped.push({
      name: strip(index.name),
      columns: cols.map((c) => c.name),
      unique: index.unique === 1,
    });
  }
  const [ddl] = await select<{ sql: string }>(
    `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1`,
    [table],
  );
  return {
    columns: columns.map((c) => ({
      name: c.name,
      type: c.type.toLowerCase(),
      nullable: c.notnull === 0 && c.pk === 0,
      primaryKey: c.pk === 1,
      serial: c.pk === 1 && /autoincrement/i.test(ddl?.sql ?? ''),
    })),
    indexes: shaped,
  };
}

/**
 * What serves search, with the table name factored out: the trigram index's definition
 * (PostgreSQL), or the FTS table and the triggers that keep it in step (SQLite).
 */
export async function searchLayout(sequelize: Sequelize, table: string): Promise<string[]> {
  const select = <T extends object>(sql: string) =>
    sequelize.query<T>(sql, { type: QueryTypes.SELECT, raw: true, bind: [table] });
  const strip = (text: string) => text.replaceAll(table, '<table>');
  if (sequelize.getDialect() === 'postgres') {
    const rows = await select<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE tablename = $1 AND indexdef LIKE '% USING gin %'",
    );
    return rows.map((r) => strip(r.indexdef)).sort();
  }
  const rows = await select<{ type: string; name: string; sql: string }>(
    `SELECT type, name, sql FROM sqlite_master
     WHERE (type = 'trigger' AND tbl_name = $1) OR (type = 'table' AND name = $1 || '_search')`,
  );
  return rows.map((r) => strip(`${r.type} ${r.name}: ${r.sql}`)).sort();
}
