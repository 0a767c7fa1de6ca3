import { MAX_RETRY_AFTER_MS, retryAfterMs } from './retry-after';

const now = new Date('2026-12-02T12:00:00Z');

describe('retryAfterMs', () => {
  it.each<[string, string | null | undefined, number | undefined]>([
    ['delay-seconds', '7', 7_000],
    ['zero seconds', '0', 0],
    ['an HTTP-date ahead', 'Wed, 02 Dec 2026 12:00:30 GMT', 30_000],
    ['an HTTP-date past', 'Wed, 02 Dec 2026 11:59:00 GMT', 0],
    ['a very long delay, capped', '86400', MAX_RETRY_AFTER_MS],
    ['no header', null, undefined],
    ['an empty header', ' ', undefined],
    ['a negative number', '-5', undefined],
    ['garbage', 'soon', undefined],
  ])('reads %s', (_label, header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });
});
