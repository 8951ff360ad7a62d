import { API, getJson } from './api';
import { byId, el, table } from './dom';
import { dateFormat } from './entry';

/** One partition's status, as `GET api/integrity` answers it. */
interface PartitionStatus {
  partition: string;
  ok: boolean;
  headSeq: number | null;
  checkpoint: { seq: number; at: string } | null;
  from: number;
  checked: number;
  firstBroken?: { seq: number; reason: string };
}

interface IntegrityStatus {
  ok: boolean;
  at: string;
  partitions: PartitionStatus[];
}

const when = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
};

function row(p: PartitionStatus): HTMLTableRowElement {
  const status = p.ok
    ? 'Intact'
    : `Broken at entry ${p.firstBroken?.seq ?? '?'}: ${p.firstBroken?.reason ?? 'unknown'}`;
  const head = p.headSeq ?? '?';
  return el(
    'tr',
    { 'data-partition': p.partition, class: p.ok ? 'ok' : 'broken' },
    el('th', { scope: 'row' }, p.partition),
    el('td', { class: 'verdict' }, status),
    el(
      'td',
      { class: 'checkpoint' },
      p.checkpoint ? `entry ${p.checkpoint.seq}, ${when(p.checkpoint.at)}` : 'none taken',
    ),
    el('td', { class: 'verified' }, `entries ${p.from} to ${head} (${p.checked} intact)`),
  );
}

function panel(status: IntegrityStatus): HTMLElement {
  const broken = status.partitions.filter((p) => !p.ok).length;
  const n = status.partitions.length;
  const chains = `${n} ${n === 1 ? 'chain' : 'chains'}`;
  const summary =
    n === 0
      ? 'Integrity: no chain yet'
      : broken === 0
        ? `Integrity: ${chains} intact`
        : `Integrity: ${broken} of ${chains} broken`;
  const details = el(
    'details',
    { id: 'integrity', class: broken === 0 ? 'integrity' : 'integrity broken' },
    el('summary', null, summary),
    el(
      'p',
      { class: 'note' },
      `Each chain verified from its last checkpoint to its newest entry, ${when(status.at)}.`,
    ),
    table(
      'diff',
      'Integrity of each chain',
      ['Chain', 'Status', 'Last checkpoint', 'Verified'],
      status.partitions.map(row),
    ),
  );
  // A broken chain is not something to find by clicking.
  details.open = broken > 0;
  return details;
}

/**
 * Shows the integrity panel when the page says this reader may see it (the server sets the
 * `eventlog-integrity` meta) and the integrity route answers 200; otherwise shows nothing.
 */
export async function showIntegrity(): Promise<void> {
  const meta = document.querySelector('meta[name="eventlog-integrity"]');
  if (meta?.getAttribute('content') !== 'on') return;
  try {
    const res = await getJson<IntegrityStatus>(new URL('integrity', API));
    if (res.status !== 200 || !Array.isArray(res.body?.partitions)) return;
    byId('integrity-slot').replaceChildren(panel(res.body as IntegrityStatus));
  } catch {
    // No status is shown rather than a wrong one.
  }
}
