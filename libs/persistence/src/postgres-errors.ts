/** SQLSTATE 23505: the statement would have written a second row with the same unique key. */
const UNIQUE_VIOLATION = '23505';

/** Whether a failed query (TypeORM wraps pg's error as `driverError`) broke a unique constraint. */
export function isUniqueViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: unknown } } | null)?.driverError;
  return driverError?.code === UNIQUE_VIOLATION;
}
