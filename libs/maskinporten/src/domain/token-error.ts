import { type MaskinportenErrorCode } from '../maskinporten.errors';

export interface TokenFailure {
  code: MaskinportenErrorCode;
  /** Worth another attempt with a fresh grant: 5xx only; timeouts and network errors are decided elsewhere. */
  retryable: boolean;
  upstreamError?: string;
  mpCode?: string;
  description?: string;
}

const BY_MP_CODE: Record<string, MaskinportenErrorCode> = {
  'MP-100': 'maskinporten.invalid_client',
  'MP-121': 'maskinporten.key_rejected',
  'MP-124': 'maskinporten.key_rejected',
  'MP-200': 'maskinporten.scope_not_on_client',
  'MP-201': 'maskinporten.scope_not_on_client',
  'MP-250': 'maskinporten.consumer_not_granted',
  'MP-251': 'maskinporten.not_delegated',
  'MP-301': 'maskinporten.consent_rejected',
  'MP-302': 'maskinporten.consent_rejected',
  'MP-303': 'maskinporten.consent_rejected',
};

const BY_OAUTH_ERROR: Record<string, MaskinportenErrorCode> = {
  invalid_scope: 'maskinporten.scope_not_on_client',
  invalid_client: 'maskinporten.invalid_client',
  unauthorized_client: 'maskinporten.invalid_client',
  invalid_grant: 'maskinporten.invalid_grant',
  invalid_request: 'maskinporten.invalid_request',
};

const MP_CODE = /\bMP-\d{3}\b/i;

/**
 * What a non-200 token answer means (docs/upstream-contract.md §1: `{error, error_description, error_uri?}`,
 * the MP code at the end of `error_uri` or in the description). Read tolerantly: any casing, extra fields, a
 * body that is not JSON.
 */
export function classifyTokenFailure(status: number, body: unknown): TokenFailure {
  const fields = oauthErrorFields(body);
  const mpCode = (MP_CODE.exec(fields.errorUri ?? '') ??
    MP_CODE.exec(fields.description ?? ''))?.[0].toUpperCase();
  const known = { upstreamError: fields.error, mpCode, description: fields.description };
  if (status >= 500) return { code: 'maskinporten.unavailable', retryable: true, ...known };
  const code =
    (mpCode === undefined ? undefined : BY_MP_CODE[mpCode]) ??
    (fields.error === undefined ? undefined : BY_OAUTH_ERROR[fields.error.toLowerCase()]) ??
    (status === 401 ? 'maskinporten.invalid_client' : 'maskinporten.upstream_error');
  return { code, retryable: false, ...known };
}

function oauthErrorFields(body: unknown): { error?: string; description?: string; errorUri?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const lowerCased = Object.fromEntries(
    Object.entries(body as Record<string, unknown>).map(([key, value]) => [key.toLowerCase(), value]),
  );
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    error: text(lowerCased.error),
    description: text(lowerCased.error_description),
    errorUri: text(lowerCased.error_uri),
  };
}
