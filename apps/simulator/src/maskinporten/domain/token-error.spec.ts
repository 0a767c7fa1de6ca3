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
    'renders %j as error, reason with trace id, and a URI ending in the MP code',
    (verdict, error, reason, code) => {
      const body = renderTokenError(verdict.refusal, 'abc123');
      expect(body).toEqual({
        error,
        error_description: `${reason} (trace_id: abc123)`,
        error_uri: expect.stringMatching(new RegExp(`^https://docs\\.digdir\\.no/.*${code}$`)) as string,
      });
    },
  );
});
