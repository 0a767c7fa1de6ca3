import { classifyTokenFailure } from './token-error';

const trace = '(trace_id: 4bf92f3577b34da6a3ce929d0e0e4736)';

describe('classifyTokenFailure', () => {
  it.each([
    [
      'MP-251 not delegated',
      400,
      {
        error: 'invalid_grant',
        error_description: `Consumer 999999999 has not delegated access to the scope altinn:consentrequests.write to supplier 310149942 ${trace}`,
        error_uri: 'https://docs.digdir.no/maskinporten_protocol_token#MP-251',
      },
      'maskinporten.not_delegated',
      'MP-251',
    ],
    [
      'MP-200 scope not on client',
      400,
      {
        error: 'invalid_scope',
        error_description: `Scope not allowed ${trace}`,
        error_uri: 'https://x/errors#MP-200',
      },
      'maskinporten.scope_not_on_client',
      'MP-200',
    ],
    [
      'MP-250 from the description',
      400,
      { error: 'invalid_scope', error_description: 'MP-250: not granted' },
      'maskinporten.consumer_not_granted',
      'MP-250',
    ],
    [
      'MP-100 unknown client',
      400,
      { error: 'invalid_client', error_uri: 'https://x#MP-100' },
      'maskinporten.invalid_client',
      'MP-100',
    ],
    [
      'MP-124 bad signature',
      400,
      { error: 'invalid_grant', error_uri: 'https://x#MP-124' },
      'maskinporten.key_rejected',
      'MP-124',
    ],
    [
      'MP-121 expired key',
      400,
      { error: 'invalid_grant', error_uri: 'https://x#MP-121' },
      'maskinporten.key_rejected',
      'MP-121',
    ],
    [
      'MP-303 consent refused',
      400,
      { error: 'invalid_grant', error_uri: 'https://x#MP-303' },
      'maskinporten.consent_rejected',
      'MP-303',
    ],
    [
      'MP-012 replay',
      400,
      { error: 'invalid_grant', error_uri: 'https://x#MP-012' },
      'maskinporten.invalid_grant',
      'MP-012',
    ],
    [
      'invalid_scope without a code',
      400,
      { error: 'invalid_scope' },
      'maskinporten.scope_not_on_client',
      undefined,
    ],
    [
      'invalid_request',
      400,
      { error: 'invalid_request', error_description: 'bad' },
      'maskinporten.invalid_request',
      undefined,
    ],
    [
      'upper-cased member names',
      400,
      { Error: 'INVALID_GRANT', Error_URI: 'https://x#mp-251' },
      'maskinporten.not_delegated',
      'MP-251',
    ],
    ['a 401 without body', 401, undefined, 'maskinporten.invalid_client', undefined],
    ['a 400 that is not OAuth', 400, 'Bad Request', 'maskinporten.upstream_error', undefined],
  ])('maps %s', (_label, status, body, code, mpCode) => {
    expect(classifyTokenFailure(status, body)).toMatchObject({ code, mpCode, retryable: false });
  });

  it('keeps the upstream error and description', () => {
    expect(
      classifyTokenFailure(400, { error: 'invalid_grant', error_description: `Invalid assertion ${trace}` }),
    ).toEqual({
      code: 'maskinporten.invalid_grant',
      retryable: false,
      upstreamError: 'invalid_grant',
      mpCode: undefined,
      description: `Invalid assertion ${trace}`,
    });
  });

  it.each([500, 502, 503, 504])('treats %i as unavailable and retryable', (status) => {
    expect(classifyTokenFailure(status, { error: 'server_error' })).toMatchObject({
      code: 'maskinporten.unavailable',
      retryable: true,
      upstreamError: 'server_error',
    });
  });

  it('does not retry 429', () => {
    expect(classifyTokenFailure(429, undefined).retryable).toBe(false);
  });
});
