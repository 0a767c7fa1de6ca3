import { bucketsCovering, sumBuckets, tokenCacheTraffic, upstreamTraffic } from './recent-counts';

describe('recent counts', () => {
  it('covers the last minutes up to now, the current minute first', () => {
    const now = Date.UTC(2026, 11, 2, 16, 30, 59, 999);
    const minute = Math.floor(now / 60_000);
    expect(bucketsCovering(now, 3)).toEqual([minute, minute - 1, minute - 2]);
  });

  it('adds up every bucket per field', () => {
    const totals = sumBuckets([
      { 'upstream|altinn|ok': '3', 'upstream|altinn|error': '1' },
      { 'upstream|altinn|ok': '2' },
      {},
    ]);
    expect(Object.fromEntries(totals)).toEqual({ 'upstream|altinn|ok': 5, 'upstream|altinn|error': 1 });
  });

  it('gives each upstream its calls, errors and error rate', () => {
    const totals = new Map([
      ['upstream|maskinporten|ok', 9],
      ['upstream|maskinporten|error', 1],
      ['upstream|altinn|error', 2],
      ['token|altinn:consentrequests.write|cache', 7],
    ]);
    expect(upstreamTraffic(totals)).toEqual([
      { upstream: 'altinn', calls: 2, errors: 2, errorRate: 1 },
      { upstream: 'maskinporten', calls: 10, errors: 1, errorRate: 0.1 },
    ]);
  });

  it('counts a token that came from the cache or from another caller’s fetch as a hit', () => {
    const totals = new Map([
      ['token|altinn:consentrequests.write|cache', 6],
      ['token|altinn:consentrequests.write|waited', 2],
      ['token|altinn:consentrequests.write|fetched', 2],
      ['token|altinn:consentrequests.read|fetched', 1],
      ['upstream|altinn|ok', 4],
    ]);
    expect(tokenCacheTraffic(totals)).toEqual([
      { scope: 'altinn:consentrequests.read', cache: 0, fetched: 1, waited: 0, hitRatio: 0 },
      { scope: 'altinn:consentrequests.write', cache: 6, fetched: 2, waited: 2, hitRatio: 0.8 },
    ]);
  });

  it('has no rate without traffic, and ignores fields of another shape', () => {
    expect(upstreamTraffic(new Map([['upstream|kms', 3]]))).toEqual([]);
    expect(tokenCacheTraffic(new Map())).toEqual([]);
  });
});
