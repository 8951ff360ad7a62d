// Placeholder: the PostgreSQL global setup (start one throwaway cluster for the whole run,
// or use EVENTLOG_PG_URL) is written with the knex adapter.
export default function setup(): void {}
