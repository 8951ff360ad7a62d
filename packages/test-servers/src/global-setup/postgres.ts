/**
 * Vitest global setup: one throwaway PostgreSQL cluster for the whole run (or `EVENTLOG_PG_URL`
 * as given). When the server cannot start, the run fails under CI; elsewhere the reason is
 * recorded in `EVENTLOG_PG_UNAVAILABLE` and the PostgreSQL suites skip saying why.
 */

import { PG_UNAVAILABLE_ENV, PG_URL_ENV, startPostgres } from '../postgres';
import { serverSetup } from './server-setup';

export default serverSetup(
  'PostgreSQL',
  { url: PG_URL_ENV, unavailable: PG_UNAVAILABLE_ENV },
  startPostgres,
);
