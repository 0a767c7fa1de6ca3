import autocannon from 'autocannon';
import { createBody, round } from './stack';

/** Intake load, the same for the gateway and the floor: autocannon, 50 connections, 10 s by default. */
export const INTAKE_DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
export const INTAKE_WARMUP_SECONDS = 3;
export const INTAKE_CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

export interface IntakeFigures {
  connections: number;
  durationSeconds: number;
  requests: number;
  accepted: number;
  acceptedPerSecond: number;
  otherStatuses: Record<string, number>;
  errors: number;
  timeouts: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
}

/**
 * `POST /v1/consent-requests` with the seed body for `seconds`; with `keys`, each request takes the next
 * key, so every tenant is in flight at once.
 */
export function postConsents(url: string, seconds: number, keys: string[] = []): Promise<autocannon.Result> {
  const body = JSON.stringify(createBody());
  let next = 0;
  return autocannon({
    url,
    connections: INTAKE_CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/v1/consent-requests',
        headers: { 'content-type': 'application/json' },
        body,
        setupRequest: (request) =>
          keys.length === 0
            ? request
            : {
                ...request,
                headers: { ...request.headers, authorization: `Bearer ${keys[next++ % keys.length]}` },
              },
      },
    ],
  });
}

/** 202s per second and latency of one autocannon run. */
export function intakeFigures(result: autocannon.Result): IntakeFigures {
  const statuses = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [status, count ?? 0]),
  );
  const accepted = statuses['202'] ?? 0;
  delete statuses['202'];
  return {
    connections: INTAKE_CONNECTIONS,
    durationSeconds: round(result.duration, 1),
    requests: result.requests.total,
    accepted,
    acceptedPerSecond: Math.round(accepted / result.duration),
    otherStatuses: statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
  };
}
