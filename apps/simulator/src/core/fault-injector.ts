import { Injectable } from '@nestjs/common';
import { type Upstream } from './sim-stats';
import { newTraceId } from './trace-id';

export interface FaultSpec {
  upstream: Upstream;
  /** HTTP status to answer with instead of the real answer; latency only when absent. */
  status?: number;
  /** Share of calls (0..1) that get `status`; default 1. */
  rate?: number;
  latencyMs?: number;
  /** The fault lifts by itself after this many seconds (an outage window). */
  forSeconds?: number;
}

interface ActiveFault extends FaultSpec {
  until?: number;
}

export interface FaultOutcome {
  latencyMs: number;
  failure?: { status: number; contentType: string; body: string };
}

/** Fault injection per upstream: latency, error rates and outage windows (docs/upstream-contract.md §4). */
@Injectable()
export class FaultInjector {
  private readonly faults = new Map<Upstream, ActiveFault>();

  set(spec: FaultSpec): void {
    // Outage windows run on real time: the simulated clock may be shifted to test expiry.
    const until = spec.forSeconds === undefined ? undefined : Date.now() + spec.forSeconds * 1000;
    this.faults.set(spec.upstream, { ...spec, until });
  }

  clear(upstream?: Upstream): void {
    if (upstream) this.faults.delete(upstream);
    else this.faults.clear();
  }

  list(): FaultSpec[] {
    return [...this.faults.values()].filter((fault) => this.active(fault));
  }

  /** Decides what happens to one call; the caller waits `latencyMs`, then answers `failure` if set. */
  decide(upstream: Upstream): FaultOutcome {
    const fault = this.faults.get(upstream);
    if (!fault || !this.active(fault)) return { latencyMs: 0 };
    const latencyMs = fault.latencyMs ?? 0;
    if (fault.status === undefined || Math.random() >= (fault.rate ?? 1)) return { latencyMs };
    return { latencyMs, failure: renderFailure(upstream, fault.status) };
  }

  private active(fault: ActiveFault): boolean {
    if (fault.until !== undefined && Date.now() >= fault.until) {
      this.faults.delete(fault.upstream);
      return false;
    }
    return true;
  }
}

/** The error body each upstream really sends for such a status. */
function renderFailure(upstream: Upstream, status: number): FaultOutcome['failure'] {
  const traceId = newTraceId();
  switch (upstream) {
    case 'maskinporten':
      return {
        status,
        contentType: 'application/json',
        body: JSON.stringify({
          error: status >= 500 ? 'server_error' : 'invalid_request',
          error_description: `Simulated fault (trace_id: ${traceId})`,
        }),
      };
    case 'altinn':
      return {
        status,
        contentType: 'application/problem+json',
        // Not one of Altinn's coded problems: what ASP.NET writes for a failure of its own (an unhandled
        // exception's 500, a framework status), `type` and `title` of the status and a trace id, no `code`.
        body: JSON.stringify({
          type: `https://tools.ietf.org/html/rfc9110#section-15.${status >= 500 ? 6 : 5}.1`,
          title: status >= 500 ? 'An error occurred while processing your request.' : 'Bad Request',
          status,
          traceId,
        }),
      };
    case 'kms': {
      // docs/upstream-contract.md §3: throttling is a 400; 5xx are
      // KMSInternal/KeyUnavailable/DependencyTimeout.
      const type =
        status < 500
          ? 'ThrottlingException'
          : status === 503
            ? 'KeyUnavailableException'
            : status === 504
              ? 'DependencyTimeoutException'
              : 'KMSInternalException';
      const message =
        type === 'ThrottlingException'
          ? 'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.'
          : 'Simulated fault';
      return {
        status: status < 500 ? 400 : status,
        contentType: 'application/x-amz-json-1.1',
        body: JSON.stringify({ __type: type, message }),
      };
    }
  }
}
