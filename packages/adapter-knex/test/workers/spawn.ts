import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
// Node itself with tsx as a loader, not the tsx CLI: the CLI runs the script in a child process,
// so a SIGKILL sent to it would orphan the real writer instead of killing it.
const tsxLoader = `${root}node_modules/tsx/dist/loader.mjs`;
const script = fileURLToPath(new URL('./writer.ts', import.meta.url));

/** A running writer process (see writer.ts) and what it has acknowledged so far. */
export interface WriterProcess {
  child: ChildProcess;
  /** eventId → id of every entry whose `log()` resolved, in the order they were printed. */
  acks: Map<string, string>;
  /** eventIds whose `log()` rejected, with the message. */
  fails: Map<string, string>;
  /** Resolves once `n` acks were printed (rejects if the process exits first). */
  acked(n: number): Promise<void>;
  /** Resolves with the exit code and signal, after stdout is fully read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts writer.ts in its own Node process with the given settings. */
export function spawnWriter(settings: {
  db: string;
  table: string;
  name: string;
  writers: number;
  each: number;
}): WriterProcess {
  const child = spawn(
    process.execPath,
    ['--import', tsxLoader, '--conditions=@eventlog/source', script],
    {
      cwd: root,
      env: {
        ...process.env,
        WRITER_DB: settings.db,
        WRITER_TABLE: settings.table,
        WRITER_NAME: settings.name,
        WRITER_COUNT: String(settings.writers),
        WRITER_EACH: String(settings.each),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const acks = new Map<string, string>();
  const fails = new Map<string, string>();
  const waiters: { n: number; resolve(): void }[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  lines.on('line', (line) => {
    const [kind, eventId = '', ...rest] = line.split(' ');
    if (kind === 'ack') acks.set(eventId, rest[0] ?? '');
    else if (kind === 'fail') fails.set(eventId, rest.join(' '));
    for (const w of waiters) if (acks.size >= w.n) w.resolve();
  });
  const closed = new Promise<void>((resolve) => lines.on('close', resolve));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  ).then(async (r) => {
    await closed;
    return { ...r, stderr };
  });
  return {
    child,
    acks,
    fails,
    exited,
    acked: (n) =>
      new Promise<void>((resolve, reject) => {
        if (acks.size >= n) return resolve();
        waiters.push({ n, resolve });
        void exited.then(({ code, signal }) => {
          if (acks.size < n) {
            reject(
              new Error(`writer exited (${code ?? signal}) after ${acks.size} acks: ${stderr}`),
            );
          }
        });
      }),
  };
}

/** The rows of the table as eventId → ids stored under it (more than one would be a duplicate). */
export async function storedByEventId(knex: Knex, table: string): Promise<Map<string, string[]>> {
  const rows = (await knex(table).select('id', 'event_id')) as { id: unknown; event_id: string }[];
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.event_id, [...(out.get(r.event_id) ?? []), String(r.id)]);
  return out;
}
