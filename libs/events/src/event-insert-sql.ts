/**
 * What one event written by another lib's statement is made of: SQL expressions over the columns of the
 * rows it reports (or the statement's own placeholders, e.g. `$11`).
 */
export interface EventSqlValues {
  tenantId: string;
  type: string;
  /** Left out for a tenant's events, which name no consent. */
  consentRequestId?: string;
  data: string;
}

export interface EventInsertSqlOptions {
  /** A condition on those rows (or the placeholders) under which the event is written. */
  where?: string;
  /** A consent's event of one type is written once: a second one is skipped, never an error. */
  oncePerConsent?: boolean;
}

/**
 * The outbox insert for a data-modifying CTE (or the final statement) of another lib's statement: one event
 * for each row of `source`, so the change and its event commit in one statement and one round trip. The
 * events table's columns are spelled here only.
 */
export function insertEventsSql(
  source: string,
  values: EventSqlValues,
  options: EventInsertSqlOptions = {},
): string {
  const fields: [string, string][] = [
    ['tenant_id', values.tenantId],
    ['type', values.type],
    ...(values.consentRequestId === undefined
      ? []
      : ([['consent_request_id', values.consentRequestId]] as [string, string][])),
    ['data', values.data],
  ];
  const where = options.where === undefined ? '' : ` WHERE ${options.where}`;
  const conflict = options.oncePerConsent
    ? '\nON CONFLICT (consent_request_id, type) WHERE consent_request_id IS NOT NULL DO NOTHING'
    : '';
  return (
    `INSERT INTO events (${fields.map(([column]) => column).join(', ')})\n` +
    `SELECT ${fields.map(([, expression]) => expression).join(', ')} FROM ${source}${where}${conflict}`
  );
}
