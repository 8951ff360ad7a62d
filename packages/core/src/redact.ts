/** Options shared by everything that masks secrets. */
export interface RedactOptions {
  /** Key names (case-insensitive, `_`/`-` ignored) or patterns treated as secret. */
  keys?: readonly (string | RegExp)[];
  /** Replacement for secret values. */
  mask?: string;
}

/** STUB — being implemented. Signature is the contract. */
export function redact<T>(value: T, _options?: RedactOptions): T {
  return value;
}

/** STUB — being implemented. */
export function isSecretKey(_key: string, _options?: RedactOptions): boolean {
  return false;
}
