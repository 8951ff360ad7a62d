// TEMPORARY stand-ins until h/capture lands in core; removed at merge.
import { EventLogError, type EventLogService, type LogInput } from '@eventlog/core';
export class CaptureError extends EventLogError {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super('CONFIGURATION_ERROR', message);
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
export function toLogInputs(
  eventlog: EventLogService<unknown>,
  options: CaptureOptions,
  action: string,
  rows: { before: Record<string, unknown> | null; after: Record<string, unknown> | null }[],
  metadata?: Record<string, unknown>,
): LogInput[] {
  const out: LogInput[] = [];
  for (const { before, after } of rows) {
    const changes = eventlog.createDiffSchema(before ?? {}, after ?? {}, {
      excludeKeys: [...(options.exclude ?? [])],
    });
    if (Object.keys(changes.oldValue).length + Object.keys(changes.newValue).length === 0) continue;
    const record = (after ?? before) as Record<string, unknown>;
    out.push({
      template: `${options.objectType} ${action}`,
      object: { type: options.objectType, id: String(record[options.idKey ?? '_id']) },
      tool: options.tool,
      action,
      changes,
      ...(metadata && { metadata }),
    });
  }
  return out;
}
