/**
 * Vitest global setup: one throwaway MariaDB server for the whole run (or `EVENTLOG_MYSQL_URL`
 * as given). When the server cannot start, the run fails under CI; elsewhere the reason is
 * recorded in `EVENTLOG_MYSQL_UNAVAILABLE` and the MySQL/MariaDB suites skip saying why.
 */

import { MYSQL_UNAVAILABLE_ENV, MYSQL_URL_ENV, startMariadb } from '../mariadb';
import { serverSetup } from './server-setup';

export default serverSetup(
  'MySQL/MariaDB',
  { url: MYSQL_URL_ENV, unavailable: MYSQL_UNAVAILABLE_ENV },
  startMariadb,
);
