import {
  isLastAttempt,
  jobFailureOutcome,
  type RetryRules,
  type UpstreamFailure,
  upstreamFailureOf,
} from './job-failure';

function failure(fields: Partial<UpstreamFailure> = {}): Error & UpstreamFailure {
  return Object.assign(new Error(fields.message ?? 'upstream said no'), {
    source: 'altinn' as const,
    code: 'altinn.request_refused',
    retryable: false,
    ...fields,
  });
}

const RULES: RetryRules = { finalRefusalsFrom: ['altinn'], finalCodes: [], honourRetryAfter: true };
const FIRST = { attemptsMade: 0, attemptsStarted: 1, attempts: 8 };

describe('upstreamFailureOf', () => {
  it('reads the shape structurally', () => {
    expect(upstreamFailureOf(failure({ upstreamCode: 'AM-00005', retryAfterMs: 10 }))).toEqual({
      source: 'altinn',
      code: 'altinn.request_refused',
      upstreamCode: 'AM-00005',
      retryable: false,
      retryAfterMs: 10,
      message: 'upstream said no',
    });
  });

  it.each([[new Error('plain')], [{ code: 'x', retryable: true, message: 'm' }], [null], ['text']])(
    'is undefined for what is no upstream failure (%p)',
    (error) => {
      expect(upstreamFailureOf(error)).toBeUndefined();
    },
  );
});

describe('isLastAttempt', () => {
  it.each([
    [0, 1, true],
    [6, 8, false],
    [7, 8, true],
  ])('attemptsMade %i of %i: last is %p', (attemptsMade, attempts, last) => {
    expect(isLastAttempt({ attemptsMade, attempts })).toBe(last);
  });
});

describe('jobFailureOutcome', () => {
  it('fails for good on a refusal of a source the queue names, with its codes as the reason', () => {
    expect(jobFailureOutcome(failure({ upstreamCode: 'AM-00001' }), FIRST, RULES)).toEqual({
      kind: 'fail',
      reason: 'altinn.request_refused (AM-00001)',
    });
    expect(jobFailureOutcome(failure(), FIRST, RULES)).toEqual({
      kind: 'fail',
      reason: 'altinn.request_refused',
    });
  });

  it('retries a refusal of a source the queue does not name', () => {
    const refusal = failure({ source: 'maskinporten', code: 'maskinporten.not_delegated' });
    expect(jobFailureOutcome(refusal, FIRST, RULES)).toEqual({ kind: 'retry' });
  });

  it('re-delays by the Retry-After of a retryable failure while the starts stay within twice the attempts', () => {
    const busy = failure({ retryable: true, retryAfterMs: 30_000 });
    expect(jobFailureOutcome(busy, FIRST, RULES)).toEqual({ kind: 'delay', delayMs: 30_000 });
    expect(jobFailureOutcome(busy, { ...FIRST, attemptsStarted: 16 }, RULES)).toEqual({
      kind: 'delay',
      delayMs: 30_000,
    });
    expect(jobFailureOutcome(busy, { ...FIRST, attemptsStarted: 17 }, RULES)).toEqual({ kind: 'retry' });
  });

  it('leaves Retry-After to the backoff when the queue does not honour it, or there is none', () => {
    const busy = failure({ retryable: true, retryAfterMs: 30_000 });
    expect(jobFailureOutcome(busy, FIRST, { ...RULES, honourRetryAfter: false })).toEqual({ kind: 'retry' });
    expect(jobFailureOutcome(failure({ retryable: true }), FIRST, RULES)).toEqual({ kind: 'retry' });
  });

  it('fails for good on a code the queue names, with the error’s message', () => {
    const unknown = Object.assign(new Error('No tenant t-1'), { code: 'tenants.not_found' });
    expect(jobFailureOutcome(unknown, FIRST, { ...RULES, finalCodes: ['tenants.not_found'] })).toEqual({
      kind: 'fail',
      reason: 'No tenant t-1',
    });
  });

  it('retries anything else', () => {
    expect(jobFailureOutcome(new Error('connection reset'), FIRST, RULES)).toEqual({ kind: 'retry' });
  });
});
