import { Injectable } from '@nestjs/common';

export interface SimStatsSnapshot {
  maskinporten: { token: number };
  altinn: { create: number; get: number; events: number };
  kms: Record<string, number>;
}

/** Calls received per upstream endpoint, refused and faulted ones included. */
@Injectable()
export class SimStats {
  private counts: SimStatsSnapshot = SimStats.empty();

  private static empty(): SimStatsSnapshot {
    return { maskinporten: { token: 0 }, altinn: { create: 0, get: 0, events: 0 }, kms: {} };
  }

  count(call: UpstreamCall): void {
    switch (call.upstream) {
      case 'maskinporten':
        this.counts.maskinporten[call.endpoint] += 1;
        return;
      case 'altinn':
        this.counts.altinn[call.endpoint] += 1;
        return;
      case 'kms':
        this.counts.kms[call.operation] = (this.counts.kms[call.operation] ?? 0) + 1;
        return;
    }
  }

  snapshot(): SimStatsSnapshot {
    return structuredClone(this.counts);
  }

  reset(): void {
    this.counts = SimStats.empty();
  }
}

export type Upstream = 'maskinporten' | 'altinn' | 'kms';

export type UpstreamCall =
  | { upstream: 'maskinporten'; endpoint: 'token' }
  | { upstream: 'altinn'; endpoint: 'create' | 'get' | 'events' }
  | { upstream: 'kms'; operation: string };

/** Which upstream call a request is, by method, path and `X-Amz-Target`; undefined for everything else. */
export function classifyUpstreamCall(
  method: string,
  path: string,
  amzTarget: string | undefined,
): UpstreamCall | undefined {
  if (method === 'POST' && path === '/token') return { upstream: 'maskinporten', endpoint: 'token' };
  const consentPath = /^\/accessmanagement\/api\/v1\/enterprise\/consentrequests(\/[^/]+)?\/?$/i.exec(path);
  if (consentPath) {
    if (method === 'POST' && !consentPath[1]) return { upstream: 'altinn', endpoint: 'create' };
    if (method === 'GET' && consentPath[1]?.toLowerCase() === '/events')
      return { upstream: 'altinn', endpoint: 'events' };
    if (method === 'GET' && consentPath[1]) return { upstream: 'altinn', endpoint: 'get' };
    return undefined;
  }
  if (method === 'POST' && path === '/' && amzTarget?.startsWith('TrentService.')) {
    return { upstream: 'kms', operation: amzTarget.slice('TrentService.'.length) };
  }
  return undefined;
}
