// TEMPORARY stand-in for core's capture module (h/capture), replaced at merge.
import { EventLogError, type EventLogService, type LogInput } from '@eventlog/core';

export class CaptureError extends EventLogError {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super('CONFLICT' as never, message);
    this.reason = reason;
  }
}

export interface CaptureOptions {
  objectType: string;
  tool: string;
  idKey?: string;
  only?: readonly string[];
  exclude?: readonly string[];
  snapshot?: boolean;
  deep?: boolean;
}

export interface RowPair {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export function buildInputs(
  eventlog: EventLogService<never>,
  options: CaptureOptions,
  pairs: readonly RowPair[],
  revertOf?: string,
): LogInput[] {
  const idKey = options.idKey ?? 'id';
  const out: LogInput[] = [];
  for (const { before, after } of pairs) {
    const record = (after ?? before) as Record<string, unknown>;
    const action = before === null ? 'create' : after === null ? 'delete' : 'update';
    const changes = eventlog.createDiffSchema(before ?? {}, after ?? {});
    if (
      action === 'update' &&
      Object.keys(changes.newValue).length === 0 &&
      Object.keys(changes.oldValue).length === 0
    )
      continue;
    out.push({
      template: `${options.objectType} ${String(record[idKey])} ${action}`,
      object: { type: options.objectType, id: String(record[idKey]) },
      tool: options.tool,
      action: revertOf ? 'revert' : action,
      changes,
      metadata: revertOf ? { revertOf } : action === 'update' ? {} : { snapshot: true },
    });
  }
  return out;
}
