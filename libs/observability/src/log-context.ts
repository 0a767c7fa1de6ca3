import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line written inside a unit of work carries (a job: queue, job id, tenant). */
export type LogContext = Record<string, string | number | undefined>;

const storage = new AsyncLocalStorage<LogContext>();

/**
 * Runs `work` with `context` added to every log line it writes. For log correlation only: nothing may
 * read it to decide what data a caller sees (docs/architecture.md "Tenant isolation").
 */
export function runWithLogContext<T>(context: LogContext, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, work);
}

/** The fields of the unit of work running now, for pino's `mixin`. */
export function currentLogContext(): LogContext {
  return { ...storage.getStore() };
}
