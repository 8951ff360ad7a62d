import type { Changes } from '../schemas';

/**
 * The top-level keys an entry's `changes` touch: every key of `oldValue` and of `newValue`,
 * each once, in first-seen order. What `list({ changedKey })` matches and the adapters index.
 */
export function changedKeysOf(changes: Changes | null | undefined): string[] {
  if (changes == null) return [];
  const keys = new Set(Object.keys(changes.oldValue));
  for (const key of Object.keys(changes.newValue)) keys.add(key);
  return [...keys];
}
