import { main } from './main';

// The exit code is set rather than forced, so buffered stdout (a large export) is flushed first.
process.exitCode = await main(process.argv.slice(2));
