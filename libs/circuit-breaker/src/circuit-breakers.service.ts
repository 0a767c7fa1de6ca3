import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Worker } from 'bullmq';
import type Redis from 'ioredis';
import { Counter, Gauge } from 'prom-client';
import { Metrics, type ReadinessDetailsSource } from '@gw/observability';
import { QUEUE_OPTIONS, type QueueModuleOptions, REDIS_CONNECTION } from '@gw/queue';
import {
  admission,
  afterFailure,
  afterProbeSucceeded,
  afterSuccess,
  type BreakerPhase,
  type BreakerPolicy,
  type BreakerState,
  callVerdict,
  changed,
  DEFAULT_BREAKER_POLICY,
  parseBreakerState,
  phaseAt,
  probeAllowance,
  type UpstreamName,
  UPSTREAMS,
} from './domain/breaker-state';

export const CIRCUIT_BREAKER_POLICY = Symbol('CIRCUIT_BREAKER_POLICY');

/** A breaker as the operator sees it. */
export interface UpstreamStatus {
  upstream: UpstreamName;
  state: BreakerPhase;
  /** When it entered this state; null for a breaker that never opened (since Redis last lost its data). */
  since: string | null;
  /** Closed: upstream failures in a row so far (it opens at `failureThreshold`). */
  failures: number;
  failureThreshold: number;
  /** Open: when the first probe may run. */
  probeAt: string | null;
  /** Half-open: probes that may run at once now, and probe jobs running. */
  probesAllowed: number;
  probesInFlight: number;
}

/** What a worker holds while a job runs through the breakers; hand it back to `finish`. */
export type BreakerPass =
  | { kind: 'run'; probes: { upstream: UpstreamName; lease: string }[] }
  | { kind: 'hold'; upstream: UpstreamName; retryInMs: number };

/**
 * What owns the BullMQ worker that took the job (a `WorkerHost`): the guard uses its worker only to
 * stop taking jobs for a while, and reads it only then.
 */
export interface JobIntake {
  readonly worker: { rateLimit(expireTimeMs: number): Promise<void> };
}

/** The status an upstream client saw for one call: an HTTP status, or no answer at all. */
export type CallStatus = number | 'timeout' | 'network';

/** What the upstream clients report every call to (the breakers, in a worker). */
export interface UpstreamCallRecorder {
  recordCall(upstream: UpstreamName, status: CallStatus): void;
}

const PHASE_VALUE: Record<BreakerPhase, number> = { closed: 0, half_open: 1, open: 2 };

/** A closed state read this recently lets a job run without asking Redis again. */
const FRESH_MS = 200;
/** Spreads the workers' first probes after a cool-down. */
const HOLD_JITTER_MS = 250;
const MAX_WRITE_ATTEMPTS = 16;

// Compare-and-set on the whole stored string: a change computed from a state another worker has
// replaced meanwhile is recomputed, never written over it.
const WRITE_STATE = `
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`;
// A probe slot is taken only while the state is the one the admission was computed from.
const ACQUIRE_PROBE = `
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return -1 end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[2])
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
return 1`;

interface Seen {
  raw: string | null;
  state: BreakerState;
  probes: number;
  at: number;
}

/**
 * One circuit breaker per upstream, shared by every worker through Redis (the state machine is in
 * `domain/breaker-state.ts`). Upstream clients report each call's status; a worker asks before it runs
 * a job that needs an upstream, and an open breaker holds the job back without spending an attempt
 * (docs/upstream-contract.md#resilience). A Redis that cannot be read never holds a job back.
 */
@Injectable()
export class CircuitBreakers implements UpstreamCallRecorder, ReadinessDetailsSource {
  private readonly logger = new Logger(CircuitBreakers.name);
  private readonly prefix: string;
  private readonly seen = new Map<UpstreamName, Seen>();
  private readonly held?: Counter<'upstream'>;
  private readonly transitions?: Counter<'upstream' | 'to'>;

  constructor(
    @Inject(REDIS_CONNECTION) private readonly redis: Redis,
    @Inject(QUEUE_OPTIONS) options: Pick<QueueModuleOptions, 'prefix'>,
    @Optional()
    @Inject(CIRCUIT_BREAKER_POLICY)
    private readonly policy: BreakerPolicy = DEFAULT_BREAKER_POLICY,
    @Optional() metrics?: Metrics,
  ) {
    this.prefix = `${options.prefix}:{circuit-breaker}`;
    if (metrics) {
      const registers = [metrics.registry];
      const gauge: Gauge<'upstream'> = new Gauge({
        name: 'sgw_upstream_circuit_state',
        help: 'Circuit breaker per upstream, shared by every worker: 0 closed, 1 half-open, 2 open',
        labelNames: ['upstream'],
        registers,
        // Read at scrape time, so every process (the gateway too) shows the shared state.
        collect: async () => {
          const statuses = await this.status().catch(() => []);
          for (const status of statuses) gauge.set({ upstream: status.upstream }, PHASE_VALUE[status.state]);
        },
      });
      this.held = new Counter({
        name: 'sgw_upstream_circuit_held_jobs_total',
        help: 'Jobs a worker put back (no attempt spent) because their upstream’s breaker was not closed',
        labelNames: ['upstream'],
        registers,
      });
      this.transitions = new Counter({
        name: 'sgw_upstream_circuit_transitions_total',
        help: 'Breaker state changes written by this process, by the state entered',
        labelNames: ['upstream', 'to'],
        registers,
      });
    }
  }

  /**
   * Runs `work` when every breaker of `upstreams` lets it. Otherwise the worker takes no job of this
   * queue for the breaker's wait and the job goes back to the queue's wait list as it was
   * (BullMQ's manual rate limit: `RateLimitError` spends no attempt and fails nothing).
   */
  async guard<T>(intake: JobIntake, upstreams: readonly UpstreamName[], work: () => Promise<T>): Promise<T> {
    const pass = await this.admit(upstreams);
    if (pass.kind === 'hold') {
      // Worker#rateLimit sets the queue's limiter key (deprecated for Queue#rateLimit in BullMQ 6, the
      // same key); the worker that took the job stops fetching for that long.
      await intake.worker.rateLimit(pass.retryInMs + Math.round(Math.random() * HOLD_JITTER_MS));
      throw Worker.RateLimitError();
    }
    let succeeded = false;
    try {
      const result = await work();
      succeeded = true;
      return result;
    } finally {
      await this.finish(pass, succeeded);
    }
  }

  /** Asks every breaker of `upstreams`; a probe slot taken for one is given back if another holds. */
  async admit(upstreams: readonly UpstreamName[]): Promise<BreakerPass> {
    const probes: { upstream: UpstreamName; lease: string }[] = [];
    for (const upstream of upstreams) {
      const decision = await this.admitOne(upstream);
      if (decision.kind === 'hold') {
        await this.finish({ kind: 'run', probes }, false);
        this.held?.inc({ upstream });
        return { kind: 'hold', upstream, retryInMs: decision.retryInMs };
      }
      if (decision.kind === 'probe') probes.push({ upstream, lease: decision.lease });
    }
    return { kind: 'run', probes };
  }

  /** Frees the probe slots of a finished job; a probe job that ran through counts as a success. */
  async finish(pass: BreakerPass, succeeded: boolean): Promise<void> {
    if (pass.kind !== 'run') return;
    for (const { upstream, lease } of pass.probes) {
      await this.redis.zrem(this.probesKey(upstream), lease).catch(() => undefined);
      if (succeeded)
        await this.update(upstream, (state, now) => afterProbeSucceeded(state, now, this.policy));
    }
  }

  /** An upstream client's report of one call (fire and forget: it never delays nor fails the call). */
  recordCall(upstream: UpstreamName, status: CallStatus): void {
    const verdict = callVerdict(status);
    if (verdict === 'neutral') return;
    if (verdict === 'success') {
      const seen = this.seen.get(upstream);
      // The common case costs nothing: closed, no failures, read a moment ago.
      const fresh = seen !== undefined && Date.now() - seen.at < FRESH_MS;
      if (fresh && seen.state.kind === 'closed' && seen.state.failures === 0) return;
      void this.update(upstream, (state, now) => afterSuccess(state, now));
      return;
    }
    void this.update(upstream, (state, now) => afterFailure(state, now, this.policy));
  }

  /** Every breaker's state, read from Redis. */
  async status(): Promise<UpstreamStatus[]> {
    const now = Date.now();
    return Promise.all(
      UPSTREAMS.map(async (upstream) => {
        const { state, probes } = await this.read(upstream, now);
        return describe(upstream, phaseAt(state, now), probes, this.policy);
      }),
    );
  }

  async readinessDetails(): Promise<Record<string, unknown>> {
    return { upstreams: await this.status() };
  }

  private async admitOne(
    upstream: UpstreamName,
  ): Promise<{ kind: 'run' } | { kind: 'probe'; lease: string } | { kind: 'hold'; retryInMs: number }> {
    try {
      const cached = this.seen.get(upstream);
      if (cached && cached.state.kind === 'closed' && Date.now() - cached.at < FRESH_MS)
        return { kind: 'run' };
      for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
        const now = Date.now();
        const { raw, state, probes } = await this.read(upstream, now);
        const decision = admission(state, now, this.policy, probes);
        if (decision.kind !== 'probe') return decision;
        const current = phaseAt(state, now);
        const allowed = current.kind === 'half_open' ? probeAllowance(current.successes) : 0;
        const lease = randomUUID();
        const taken = await this.redis.eval(
          ACQUIRE_PROBE,
          2,
          this.stateKey(upstream),
          this.probesKey(upstream),
          raw ?? '',
          now,
          allowed,
          now + this.policy.probeLeaseMs,
          lease,
          this.policy.probeLeaseMs,
        );
        if (taken === 1) return { kind: 'probe', lease };
        if (taken === 0) return { kind: 'hold', retryInMs: this.policy.probeRecheckMs };
        // -1: another worker changed the state meanwhile; decide again on what it wrote.
      }
      return { kind: 'hold', retryInMs: this.policy.probeRecheckMs };
    } catch (error) {
      // The job needs Redis too: a breaker that cannot be read lets it run rather than add a failure.
      this.logger.debug(`Breaker of ${upstream} unreadable: ${messageOf(error)}`);
      return { kind: 'run' };
    }
  }

  private async update(
    upstream: UpstreamName,
    change: (state: BreakerState, now: number) => BreakerState,
  ): Promise<void> {
    try {
      for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
        const raw = await this.redis.get(this.stateKey(upstream));
        const stored = parseBreakerState(raw);
        const now = Date.now();
        const before = phaseAt(stored, now);
        const next = change(stored, now);
        if (!changed(before, next)) {
          this.remember(upstream, raw, stored, now);
          return;
        }
        const written = { ...next, version: stored.version + 1 };
        const text = JSON.stringify(written);
        const ok = await this.redis.eval(WRITE_STATE, 1, this.stateKey(upstream), raw ?? '', text);
        if (ok === 1) {
          this.remember(upstream, text, written, now);
          if (before.kind !== written.kind) this.announce(upstream, written);
          return;
        }
      }
    } catch (error) {
      this.logger.debug(`Breaker of ${upstream} not updated: ${messageOf(error)}`);
    }
  }

  private announce(upstream: UpstreamName, state: BreakerState): void {
    this.transitions?.inc({ upstream, to: state.kind });
    switch (state.kind) {
      case 'open':
        this.logger.warn(
          `Circuit breaker of ${upstream} opened: its jobs wait ${state.coolDownMs} ms, then one probes`,
        );
        break;
      case 'half_open':
        this.logger.log(`Circuit breaker of ${upstream} half-open: probe jobs succeed, more follow`);
        break;
      case 'closed':
        this.logger.log(`Circuit breaker of ${upstream} closed: its jobs run again`);
        break;
    }
  }

  private async read(upstream: UpstreamName, now: number): Promise<Seen> {
    const replies = await this.redis
      .multi()
      .get(this.stateKey(upstream))
      .zcount(this.probesKey(upstream), now, '+inf')
      .exec();
    if (!replies) throw new Error('breaker read aborted');
    for (const [error] of replies) if (error) throw error;
    const raw = replies[0][1] as string | null;
    const probes = Number(replies[1][1]);
    return this.remember(upstream, raw, parseBreakerState(raw), now, probes);
  }

  private remember(
    upstream: UpstreamName,
    raw: string | null,
    state: BreakerState,
    at: number,
    probes = 0,
  ): Seen {
    const seen = { raw, state, probes, at };
    this.seen.set(upstream, seen);
    return seen;
  }

  private stateKey(upstream: UpstreamName): string {
    return `${this.prefix}:${upstream}`;
  }

  private probesKey(upstream: UpstreamName): string {
    return `${this.prefix}:${upstream}:probes`;
  }
}

function describe(
  upstream: UpstreamName,
  state: BreakerState,
  probes: number,
  policy: BreakerPolicy,
): UpstreamStatus {
  return {
    upstream,
    state: state.kind,
    since: state.since > 0 ? new Date(state.since).toISOString() : null,
    failures: state.kind === 'closed' ? state.failures : 0,
    failureThreshold: policy.failureThreshold,
    probeAt: state.kind === 'open' ? new Date(state.until).toISOString() : null,
    probesAllowed: state.kind === 'half_open' ? probeAllowance(state.successes) : 0,
    probesInFlight: probes,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
