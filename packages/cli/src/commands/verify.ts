import { readFile } from 'node:fs/promises';
import { parseCheckpoint, type VerifyResult } from '@eventlog/core';
import { CONNECTION_OPTIONS, CONNECTION_USAGE, type Command, str, write } from '../command';
import { parseSeq } from '../parse-values';
import { EXIT, UsageError } from '../usage-error';
import { withConnection } from './with-connection';

async function readText(option: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --${option} ${path}: ${(error as Error).message}`);
  }
}

/** `eventlog verify`: recomputes every chain (or one); exit 1 when any is broken. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify the hash chain of every partition (or one)',
  usage: `Usage: eventlog verify [--partition <name>] [--from <seq>] [--to <seq>]
                       [--checkpoint <file.json> [--public-key <key.pem>]] [--json]

Recomputes every hash and link of each chain, page by page, and compares the end with the head
row (and with the checkpoint when given). Exit 0 when every chain verifies, 1 when one is broken.

  --partition <name>      only this chain (default: every chain)
  --from, --to <seq>      only this range of one chain (inclusive)
  --checkpoint <file>     a checkpoint written by \`eventlog checkpoint\`: also detects a deleted tail
                          whose head row was rewound, and a replayed older checkpoint
  --public-key <file>     Ed25519 public key (PEM): the checkpoint's signature must be valid
  --json                  print the results as JSON lines

${CONNECTION_USAGE}`,
  options: {
    ...CONNECTION_OPTIONS,
    partition: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    checkpoint: { type: 'string' },
    'public-key': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, io) {
    const from = parseSeq('from', str(values.from));
    const to = parseSeq('to', str(values.to));
    const checkpointPath = str(values.checkpoint);
    const keyPath = str(values['public-key']);
    if (keyPath !== undefined && checkpointPath === undefined) {
      throw new UsageError('--public-key needs --checkpoint');
    }
    let checkpoint: ReturnType<typeof parseCheckpoint> | undefined;
    if (checkpointPath !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readText('checkpoint', checkpointPath));
      } catch (error) {
        if (error instanceof UsageError) throw error;
        throw new UsageError(`--checkpoint ${checkpointPath} is not JSON`);
      }
      checkpoint = parseCheckpoint(parsed);
    }
    const publicKey = keyPath === undefined ? undefined : await readText('public-key', keyPath);
    let partition = str(values.partition);
    if ((from !== undefined || to !== undefined || checkpoint) && partition === undefined) {
      partition = checkpoint?.partition;
      if (partition === undefined) throw new UsageError('--from/--to need --partition');
    }
    return withConnection(values, async ({ service, integrity }) => {
      if (!integrity) {
        throw new UsageError(
          'this table has no hash chain (no chain-heads table): nothing to verify',
        );
      }
      const partitions = partition === undefined ? await service.partitions() : [partition];
      let failed = false;
      for (const p of partitions) {
        const result = await service.verify({
          partition: p,
          ...(from !== undefined && { from }),
          ...(to !== undefined && { to }),
          ...(checkpoint && { checkpoint }),
          ...(publicKey !== undefined && { publicKey }),
        });
        failed ||= !result.ok;
        await write(
          io.stdout,
          values.json ? `${JSON.stringify(result)}\n` : `${describe(result)}\n`,
        );
      }
      if (partitions.length === 0 && !values.json) await write(io.stdout, 'no chain stored yet\n');
      return failed ? EXIT.verificationFailed : EXIT.ok;
    });
  },
};

function describe(result: VerifyResult): string {
  if (result.ok) return `${result.partition}: ok (${result.checked} entries verified)`;
  const broken = result.firstBroken;
  return `${result.partition}: BROKEN at seq ${broken?.seq}: ${broken?.reason} (${result.checked} entries verified before it)`;
}
