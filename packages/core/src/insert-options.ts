// Apart from the port so that both halves of it, `EventLogStorage` and the chain's
// `ChainStorage`, take it without importing each other.

/** Options of `EventLogStorage.insert`. */
export interface InsertOptions<Tx> {
  /** The caller's open transaction (knex `Transaction`, Sequelize `Transaction`, Mongo `ClientSession`). */
  transaction?: Tx | undefined;
}
