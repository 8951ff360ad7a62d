import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * A namespace with the cls-hooked API (`run`, `bind`, `get`, `set`) on AsyncLocalStorage: what
 * `Sequelize.useCLS` calls, without adding cls-hooked. Each `run` gets a child context, as in
 * cls-hooked. `useCLS` is process-wide: a test file that calls it runs in its own fork.
 */
export function asyncLocalNamespace() {
  const als = new AsyncLocalStorage<Map<string, unknown>>();
  return {
    run<T>(fn: (context: Map<string, unknown>) => T): T {
      const context = new Map(als.getStore());
      return als.run(context, () => fn(context));
    },
    bind<F>(fn: F): F {
      return fn;
    },
    get: (key: string): unknown => als.getStore()?.get(key),
    set: (key: string, value: unknown): void => {
      als.getStore()?.set(key, value);
    },
  };
}
