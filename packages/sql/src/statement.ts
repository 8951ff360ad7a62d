import { createHash } from 'node:crypto';

/** One statement with its bound values, in the placeholder style of the session that runs it. */
export interface Statement {
  sql: string;
  bindings: unknown[];
  /**
   * Set on statements run often with the same text: a session whose driver keeps named prepared
   * statements per connection (pg) prepares it under this name, once per connection, and the
   * server reuses its plan. One name is only ever given to one text.
   */
  name?: string;
}

/**
 * The name a prepared statement of `sql` takes (`Statement.name`): derived from the text, so one
 * name is only ever given to one text, as drivers require.
 */
export function preparedName(sql: string): string {
  return `eventlog_${createHash('sha256').update(sql).digest('hex').slice(0, 40)}`;
}

/**
 * The placeholder of the `index`-th bound value (1-based): knex takes `?`, Sequelize `$1`,
 * `$2`... (it rewrites them for MySQL). Every value is bound once per use, so both work.
 */
export type Placeholder = (index: number) => string;

/** `?` for every value: knex's style. */
export const questionMark: Placeholder = () => '?';
/** `$1`, `$2`...: Sequelize's `bind` style. */
export const dollarNumber: Placeholder = (index) => `$${index}`;

/** The values bound into one statement; `add` returns the placeholder to write. */
export class Binds {
  readonly values: unknown[] = [];

  constructor(private readonly placeholder: Placeholder) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.placeholder(this.values.length);
  }

  list(values: readonly unknown[]): string {
    return values.map((v) => this.add(v)).join(', ');
  }

  /** The statement of `sql` with the values added so far. */
  statement(sql: string): Statement {
    return { sql, bindings: this.values };
  }
}

/** ` WHERE a AND b`, or nothing. */
export const whereClause = (conditions: readonly string[]): string =>
  conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
