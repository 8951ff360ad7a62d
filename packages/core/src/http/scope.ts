import { z } from 'zod';
import { ConfigurationError } from '../errors';
import type { EventLog, EventLogQuery } from '../schemas';
import type { ScopeFilter } from './types';

const text = z.string().min(1).max(255);
const oneOrMany = z.union([text, z.array(text).min(1)]);
const scopeSchema = z
  .object({
    tool: oneOrMany.optional(),
    action: oneOrMany.optional(),
    actorId: text.optional(),
    objectType: text.optional(),
    objectId: text.optional(),
  })
  .strict()
  .refine(
    (s) => s.objectId === undefined || s.objectType !== undefined,
    'objectId needs objectType',
  );

/** A validated scope, every multi-valued filter as an array. */
interface NormalizedScope {
  tool?: string[];
  action?: string[];
  actorId?: string;
  objectType?: string;
  objectId?: string;
}

const asList = (v: string | readonly string[]): string[] => (typeof v === 'string' ? [v] : [...v]);

/**
 * Checks what `scope()` returned. A malformed scope is the server's bug, not the client's, so it
 * throws a `ConfigurationError` (a 500) instead of a 400.
 */
export function normalizeScope(scope: ScopeFilter | null | undefined): NormalizedScope | null {
  if (scope === null || scope === undefined) return null;
  const parsed = scopeSchema.safeParse(scope);
  if (!parsed.success) {
    throw new ConfigurationError(`scope() returned an invalid filter: ${parsed.error.message}`);
  }
  const s = parsed.data;
  return {
    ...(s.tool !== undefined && { tool: asList(s.tool) }),
    ...(s.action !== undefined && { action: asList(s.action) }),
    ...(s.actorId !== undefined && { actorId: s.actorId }),
    ...(s.objectType !== undefined && { objectType: s.objectType }),
    ...(s.objectId !== undefined && { objectId: s.objectId }),
  };
}

function narrowList(
  asked: string | string[] | undefined,
  allowed: string[] | undefined,
): string[] | undefined | null {
  if (allowed === undefined) return asked === undefined ? undefined : asList(asked);
  if (asked === undefined) return allowed;
  const inside = asList(asked).filter((v) => allowed.includes(v));
  return inside.length > 0 ? inside : null;
}

function narrowValue(
  asked: string | undefined,
  forced: string | undefined,
): string | undefined | null {
  if (forced === undefined) return asked;
  return asked === undefined || asked === forced ? forced : null;
}

/**
 * Intersects the client's query with the scope. Returns `null` when nothing can match (the
 * client asked for a tool, actor or object outside its scope): the caller answers with an
 * empty page, so a query string can narrow a scope but never widen it.
 */
export function applyScope(
  query: EventLogQuery,
  scope: NormalizedScope | null,
): EventLogQuery | null {
  if (scope === null) return query;
  const tool = narrowList(query.tool, scope.tool);
  const action = narrowList(query.action, scope.action);
  const actorId = narrowValue(query.actorId, scope.actorId);
  const objectType = narrowValue(query.objectType, scope.objectType);
  const objectId = narrowValue(query.objectId, scope.objectId);
  if (
    tool === null ||
    action === null ||
    actorId === null ||
    objectType === null ||
    objectId === null
  ) {
    return null;
  }
  return {
    ...query,
    ...(tool && { tool }),
    ...(action && { action }),
    ...(actorId !== undefined && { actorId }),
    ...(objectType !== undefined && { objectType }),
    ...(objectId !== undefined && { objectId }),
  };
}

/** Whether one stored entry lies inside the scope (for `GET /:id`). */
export function entryInScope(entry: EventLog, scope: NormalizedScope | null): boolean {
  if (scope === null) return true;
  return (
    (scope.tool === undefined || scope.tool.includes(entry.tool)) &&
    (scope.action === undefined || scope.action.includes(entry.action)) &&
    (scope.actorId === undefined || scope.actorId === entry.actorId) &&
    (scope.objectType === undefined || scope.objectType === entry.objectType) &&
    (scope.objectId === undefined || scope.objectId === entry.objectId)
  );
}
