import { readFile, writeFile } from 'node:fs/promises';
import { CONNECTION_OPTIONS, CONNECTION_USAGE, type Command, str, write } from '../command';
import { EXIT, UsageError } from '../usage-error';
import { withConnection } from './with-connection';

/** `eventlog checkpoint`: records and prints (or writes) the head of a chain. */
export const checkpointCommand: Command = {
  name: 'checkpoint',
  summary: 'record the head of a chain as a (signed) checkpoint',
  usage: `Usage: eventlog checkpoint [--partition <name>] [--private-key <key.pem>] [--out <file.json>]

Records the chain's head as its latest checkpoint and prints it as JSON
{ partition, seq, hash, start, at, signature? }. Keep it where the database's writers cannot change
it; \`eventlog verify --checkpoint\` uses it. Only the latest checkpoint verifies: an older one
is refused as a replay.

  --partition <name>      default "default" (the single chain); refused when it has no head
  --private-key <file>    Ed25519 private key (PEM) to sign it with
  --out <file>            write the JSON there instead of stdout

${CONNECTION_USAGE}`,
  options: {
    ...CONNECTION_OPTIONS,
    partition: { type: 'string' },
    'private-key': { type: 'string' },
    out: { type: 'string' },
  },
  async run(values, io) {
    const keyPath = str(values['private-key']);
    let privateKey: string | undefined;
    if (keyPath !== undefined) {
      try {
        privateKey = await readFile(keyPath, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read --private-key ${keyPath}: ${(error as Error).message}`);
      }
    }
    return withConnection(values, async ({ service, integrity }) => {
      if (!integrity) throw new UsageError('this table has no hash chain (no chain-heads table)');
      const checkpoint = await service.checkpoint({
        ...(values.partition !== undefined && { partition: str(values.partition) }),
        ...(privateKey !== undefined && { privateKey }),
      });
      const json = `${JSON.stringify(checkpoint, null, 2)}\n`;
      const out = str(values.out);
      if (out === undefined) await write(io.stdout, json);
      else await writeFile(out, json);
      return EXIT.ok;
    });
  },
};
