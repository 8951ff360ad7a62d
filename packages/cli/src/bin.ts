import { main } from './main';

const code = await main(process.argv.slice(2));
// A --config module may leave its connection pool open, which would keep the process alive:
// exit once stdout is flushed (a large export is written through it).
process.exitCode = code;
process.stdout.write('', () => process.exit(code));
