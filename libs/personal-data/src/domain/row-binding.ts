/**
 * What a sealed value is bound to. The AES-GCM associated data names the column, the tenant, the row and
 * the key, so a ciphertext copied to another row, tenant or column does not open. UUIDs are compared
 * case-insensitively everywhere else, so they are bound in lower case.
 */
export interface RowBinding {
  /** `<table>.<column>` */
  column: string;
  tenantId: string;
  rowId: string;
}

const FORMAT = 'sgw-personal-data-v1';

export function associatedData(binding: RowBinding, keyId: string): Buffer {
  return Buffer.from(
    JSON.stringify([
      FORMAT,
      binding.column,
      binding.tenantId.toLowerCase(),
      binding.rowId.toLowerCase(),
      keyId,
    ]),
    'utf8',
  );
}

/**
 * The HMAC input of a lookup value: scoped to the tenant, so the same person at two tenants gives two
 * unrelated values (every lookup names its tenant anyway), and normalized so that the spellings Altinn
 * treats as one party (the URN prefix is case-insensitive) give one value.
 */
export function lookupInput(column: string, tenantId: string, value: string): Buffer {
  return Buffer.from(
    JSON.stringify([FORMAT, column, tenantId.toLowerCase(), value.trim().toLowerCase()]),
    'utf8',
  );
}
