import { invalidAssertion, refuse, renderTokenError } from './token-error';

describe('token error body', () => {
  it.each([
    [refuse('invalid_client', 'MP-100', 'Client not found'), 'invalid_client', 'Client not found', 'MP-100'],
    [
      invalidAssertion('MP-012', 'Grant is used before'),
      'invalid_grant',
      'Invalid assertion. Grant is used before',
      'MP-012',
    ],
    [refuse('invalid_scope', 'MP-200', 'Invalid scope'), 'invalid_scope', 'Invalid scope', 'MP-200'],
  ])(
    "renders %j as error, reason with trace id, and the issuer's errors/<MP code> as URI",
    (verdict, error, reason, code) => {
      const body = renderTokenError(verdict.refusal, 'https://test.maskinporten.no/', 'abc123');
      expect(body).toEqual({
        error,
        error_description: `${reason} (trace_id: abc123)`,
        error_uri: `https://test.maskinporten.no/errors/${code}`,
      });
    },
  );
});
