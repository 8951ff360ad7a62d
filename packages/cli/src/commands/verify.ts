import { readFile } from 'node:fs/promises';
import { type PartitionResult, parseCheckpoint } from '@eventlog/core';
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

/** `eventlog verify`: verifies the whole log (or one partition); exit 1 on any finding. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify the hash chain of every partition (or one)',
  usage: `Usage: eventlog verify [--partition <name>] [--from <seq>] [--to <seq>]
                       [--checkpoint <file.json> [--public-key <key.pem>]] [--json]

Recomputes every hash and link of each chain, page by page, and compares its ends with the head
row (and with the checkpoint when given). Every partition is listed, with every finding: a
broken or truncated chain, a head row missing, a start moved outside eventlog, rows stored
outside a chained partition (matched to partitions by the config's integrity.partition, one
"default" chain with --db). Exit 0 when everything verifies, 1 on any finding.

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
      const result = await service.verify({
        ...(partition !== undefined && { partition }),
        ...(from !== undefined && { from }),
        ...(to !== undefined && { to }),
        ...(checkpoint && { checkpoint }),
        ...(publicKey !== undefined && { publicKey }),
      });
      for (const p of result.partitions) {
        await write(io.stdout, values.json ? `${JSON.stringify(p)}\n` : describe(p));
      }
      if (result.partitions.length === 0 && !values.json) {
        await write(io.stdout, 'no chain stored yet\n');
      }
      return result.ok ? EXIT.ok : EXIT.verificationFailed;
    });
  },
};

/** One partition's lines: ok, or its first broken link, then the rows found outside its chain. */
function describe(result: PartitionResult): string {
  if (result.ok) return `${result.partition}: ok (${result.checked} entries verified)\n`;
  const broken = result.firstBroken;
  const unchained = result.unchained;
  const lines: string[] = [];
  // seq 0: a finding not at an entry of the chain (the rows outside it are listed below).
  if (broken && broken.seq > 0) {
    lines.push(
      `${result.partition}: BROKEN at seq ${broken.seq}: ${broken.reason} (${result.checked} entries verified before it)`,
    );
  } else if (broken && unchained === undefined) {
    lines.push(`${result.partition}: BROKEN: ${broken.reason}`);
  }
  if (unchained) {
    lines.push(
      `${result.partition}: ${unchained.count} ${unchained.count === 1 ? 'row' : 'rows'} stored outside the chain (first id ${unchained.firstId}), ${result.checked} chained entries verified`,
    );
  }
  return `${lines.join('\n')}\n`;
}
