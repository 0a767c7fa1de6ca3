import { delegationFailure } from './delegation-outcome';

class FakeUpstreamError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly mpCode?: string,
    readonly description?: string,
    readonly retryable = false,
  ) {
    super(message);
  }
}

describe('delegationFailure', () => {
  it.each([
    [
      'an MP-251 refusal keeps the MP code and the upstream description',
      new FakeUpstreamError(
        'maskinporten.not_delegated',
        'refused',
        'MP-251',
        'Consumer 974760673 has not delegated access to the scope a:b to supplier 310149942',
      ),
      {
        code: 'MP-251',
        message: 'Consumer 974760673 has not delegated access to the scope a:b to supplier 310149942',
        retryable: false,
      },
    ],
    [
      'a scope not on the client keeps MP-200',
      new FakeUpstreamError('maskinporten.scope_not_on_client', 'invalid_scope', 'MP-200', 'Invalid scope'),
      { code: 'MP-200', message: 'Invalid scope', retryable: false },
    ],
    [
      'an outage without an MP code falls back to the lib code and marks it retryable',
      new FakeUpstreamError(
        'maskinporten.unavailable',
        'Maskinporten did not answer',
        undefined,
        undefined,
        true,
      ),
      { code: 'maskinporten.unavailable', message: 'Maskinporten did not answer', retryable: true },
    ],
    ['a plain error', new Error('boom'), { code: 'unknown', message: 'boom', retryable: false }],
    ['a thrown string', 'boom', { code: 'unknown', message: 'boom', retryable: false }],
  ])('%s', (_name, error, expected) => {
    expect(delegationFailure(error)).toEqual(expected);
  });
});
