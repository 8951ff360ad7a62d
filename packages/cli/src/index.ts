export type { CliIO, Command } from './command';
export { type CliConfig, configFromUrl } from './connect';
export { CSV_COLUMNS, CSV_HEADER, csvCell, csvRecord } from './csv';
export { COMMANDS, main } from './main';
export { EXIT, UsageError } from './usage-error';
