/** What every replica drops from its credential cache: one key, every key of a tenant, or everything. */
export type CredentialInvalidation =
  { kind: 'key'; prefix: string } | { kind: 'tenant'; tenantId: string } | { kind: 'all' };

export function encodeInvalidation(invalidation: CredentialInvalidation): string {
  return JSON.stringify(invalidation);
}

/** A message from the channel; one this replica cannot read drops everything rather than nothing. */
export function decodeInvalidation(message: string): CredentialInvalidation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return { kind: 'all' };
  }
  const value = (parsed ?? {}) as Record<string, unknown>;
  if (value.kind === 'key' && typeof value.prefix === 'string' && value.prefix !== '') {
    return { kind: 'key', prefix: value.prefix };
  }
  if (value.kind === 'tenant' && typeof value.tenantId === 'string' && value.tenantId !== '') {
    return { kind: 'tenant', tenantId: value.tenantId };
  }
  return { kind: 'all' };
}
