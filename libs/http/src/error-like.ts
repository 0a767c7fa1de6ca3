/**
 * Whether a thrown value is an error, whichever realm made it: errors raised by Node's own modules fail
 * `instanceof Error` inside a `vm` context (as under Jest), and a check that relies on it would answer a
 * Postgres that is down with a 500 instead of a 503.
 */
export function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as { message?: unknown }).message === 'string')
  );
}
