import type { Changes } from '../schemas';

/** Options of `createDiffSchema`. */
export interface DiffOptions {
  /** Keys ignored at every level (e.g. `updatedAt`). */
  excludeKeys?: readonly string[];
  /** Keep only the changed leaves of nested objects instead of whole top-level values. */
  deep?: boolean;
  /** Mask secret keys in both sides (default true); `false` keeps them, an object configures. */
  redact?: boolean | { keys?: readonly (string | RegExp)[]; mask?: string };
  /** Nesting beyond this depth is a `DiffError` (default 64). */
  maxDepth?: number;
}

/** STUB — being implemented. Signature is the contract. */
export function createDiffSchema(_old: unknown, _new: unknown, _options?: DiffOptions): Changes {
  throw new Error('createDiffSchema: not implemented yet');
}
