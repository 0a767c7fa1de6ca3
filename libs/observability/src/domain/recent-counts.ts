/**
 * Counts every process adds to one minute bucket in Redis, so an operator sees the whole deployment's
 * recent upstream error rates and token cache hit ratio, not one process's (docs/observability.md
 * "Recent counts"). Fields are `<kind>|<name>|<result>`.
 */
export const BUCKET_MS = 60_000;

export type RecentCountField =
  `upstream|${string}|${'ok' | 'error'}` | `token|${string}|${'cache' | 'fetched' | 'waited'}`;

/** The minute buckets that cover the last `minutes` minutes up to `now`, newest first. */
export function bucketsCovering(now: number, minutes: number): number[] {
  const newest = Math.floor(now / BUCKET_MS);
  return Array.from({ length: minutes }, (_, index) => newest - index);
}

/** Adds up the buckets' hashes (Redis answers counts as strings) into one count per field. */
export function sumBuckets(buckets: readonly Record<string, string>[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const bucket of buckets) {
    for (const [field, count] of Object.entries(bucket)) {
      totals.set(field, (totals.get(field) ?? 0) + Number(count));
    }
  }
  return totals;
}

export interface UpstreamTraffic {
  upstream: string;
  calls: number;
  errors: number;
  /** errors / calls; null without calls. */
  errorRate: number | null;
}

export interface TokenCacheTraffic {
  scope: string;
  /** Answered from the cache, fetched from Maskinporten, or waited for another caller's fetch. */
  cache: number;
  fetched: number;
  waited: number;
  /** (cache + waited) / all: how often no Maskinporten call was needed; null without requests. */
  hitRatio: number | null;
}

function byName(totals: Map<string, number>, kind: string): Map<string, Record<string, number>> {
  const names = new Map<string, Record<string, number>>();
  for (const [field, count] of totals) {
    const [fieldKind, name, result] = field.split('|');
    if (fieldKind !== kind || name === undefined || result === undefined) continue;
    const results = names.get(name) ?? {};
    results[result] = (results[result] ?? 0) + count;
    names.set(name, results);
  }
  return names;
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** Calls and errors per upstream, sorted by name. */
export function upstreamTraffic(totals: Map<string, number>): UpstreamTraffic[] {
  return [...byName(totals, 'upstream')]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([upstream, results]) => {
      const errors = results.error ?? 0;
      const calls = (results.ok ?? 0) + errors;
      return { upstream, calls, errors, errorRate: ratio(errors, calls) };
    });
}

/** Token requests per scope and how many needed no Maskinporten call, sorted by scope. */
export function tokenCacheTraffic(totals: Map<string, number>): TokenCacheTraffic[] {
  return [...byName(totals, 'token')]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([scope, results]) => {
      const cache = results.cache ?? 0;
      const fetched = results.fetched ?? 0;
      const waited = results.waited ?? 0;
      return { scope, cache, fetched, waited, hitRatio: ratio(cache + waited, cache + fetched + waited) };
    });
}
