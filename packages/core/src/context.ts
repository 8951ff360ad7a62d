import { AsyncLocalStorage } from 'node:async_hooks';
import type { JsonObject } from './schemas';

/**
 * What a request (or a job) tells every `log()` made while it runs. `EventLogService.log()` takes
 * the actor from here when the call omits it, and merges `ip`, `userAgent`, `requestId` and
 * `metadata` under the call's own `metadata` (the call wins).
 */
export interface EventLogContext {
  /** The user or `{ id, label }` acting, resolved like `LogInput.actor`. */
  actor?: unknown;
  ip?: string;
  userAgent?: string;
  requestId?: string;
  /** Extra metadata stored with every entry logged in this context. */
  metadata?: JsonObject;
}

// One store for the whole process, so a context set by the Express middleware is visible to a
// service created anywhere else: held on `globalThis` under a registered symbol, so the ESM and
// CJS builds of core (or two installed copies) loaded in one process share it.
const STORE_KEY = Symbol.for('@eventlog/core/context');
const holder = globalThis as { [STORE_KEY]?: AsyncLocalStorage<EventLogContext> };
holder[STORE_KEY] ??= new AsyncLocalStorage<EventLogContext>();
const storage: AsyncLocalStorage<EventLogContext> = holder[STORE_KEY];

/**
 * Runs `fn` with `ctx` as the current context and returns what `fn` returns. The context
 * follows every `await`, timer and callback started inside `fn`, and concurrent calls never see
 * each other's context. Nested calls replace the outer context for their duration.
 */
export function runWithContext<T>(ctx: EventLogContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The context of the current `runWithContext` call, or `undefined` outside one. */
export function getContext(): EventLogContext | undefined {
  return storage.getStore();
}
