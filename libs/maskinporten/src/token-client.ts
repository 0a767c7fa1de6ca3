import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { type UpstreamCallRecorder } from '@gw/circuit-breaker';
import { type MetricsRecorder } from '@gw/observability';
import { type BackoffOptions, nextRetryDelayMs, retryAfterMs } from './domain/retry-delay';
import { classifyTokenFailure } from './domain/token-error';
import { MaskinportenError } from './maskinporten.errors';

/** docs/upstream-contract.md §1: the RFC 7523 grant type, the only one Maskinporten accepts here. */
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface TokenClientOptions {
  /** `<issuer>token` unless the metadata says otherwise. */
  tokenEndpoint: string;
  /** Per attempt, body included; default 10 000 ms (docs/upstream-contract.md §1: ≈15 s stalls are seen). */
  timeoutMs?: number;
  /** Attempts, first included; default 3. */
  maxAttempts?: number;
  /** Default 250 ms doubling to at most 4 s, with jitter. */
  backoff?: BackoffOptions;
  /**
   * The longest `Retry-After` (of a 429 or 503) waited out in-process before the next attempt; a longer
   * one ends the attempts at once as `maskinporten.unavailable`, for the caller's queue to retry later.
   * Default 5 000 ms.
   */
  maxRetryAfterMs?: number;
  /** Replaces global fetch (unit tests). */
  fetch?: typeof fetch;
  /** Replaces the backoff wait (unit tests). */
  sleep?: (ms: number) => Promise<unknown>;
  random?: () => number;
  /** Counts each token request by outcome, HTTP status and Maskinporten's code. */
  metrics?: MetricsRecorder;
  /** Told each token request's status, so Maskinporten's circuit breaker sees it (in a worker). */
  breakers?: UpstreamCallRecorder;
}

/** The token response, read tolerantly (extra members ignored, `expires_in` as number or numeric string). */
export interface TokenResponse {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
  scope?: string;
  /** Token requests this took, retries included. */
  attempts: number;
}

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().min(1).default('Bearer'),
  expires_in: z.coerce.number().positive(),
  scope: z.string().optional(),
});

type AttemptOutcome =
  | { kind: 'token'; response: Omit<TokenResponse, 'attempts'> }
  | {
      kind: 'failure';
      error: MaskinportenError;
      retryable: boolean;
      noAnswer?: 'timeout' | 'network';
      /** The server's `Retry-After`, in ms. */
      retryAfterMs?: number;
    };

/**
 * Posts JWT-bearer grants to Maskinporten's token endpoint. Retries 5xx, 429, timeouts and network errors
 * with backoff and jitter, waiting at least a `Retry-After` (RFC 6585 §4, RFC 9110 §10.2.3); never other
 * 4xx, which only an operator can fix. Each attempt asks for a fresh grant:
 * a timed-out attempt may still have reached Maskinporten and spent its `jti` (MP-012 "Grant is used before").
 */
export class MaskinportenTokenClient {
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffOptions;
  private readonly maxRetryAfterMs: number;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<unknown>;
  private readonly random: () => number;

  constructor(private readonly options: TokenClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.backoff = options.backoff ?? { baseMs: 250, maxMs: 4000 };
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 5_000;
    this.fetch = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => sleep(ms));
    this.random = options.random ?? Math.random;
  }

  /** `grant()` is called once per attempt and returns a signed assertion. */
  async requestToken(grant: () => Promise<string>): Promise<TokenResponse> {
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(await grant());
      if (outcome.kind === 'token') return { ...outcome.response, attempts: attempt };
      const delayMs = nextRetryDelayMs(
        attempt,
        this.backoff,
        this.random(),
        outcome.retryAfterMs,
        this.maxRetryAfterMs,
      );
      if (!outcome.retryable || attempt >= this.maxAttempts || delayMs === undefined) {
        throw new MaskinportenError(outcome.error.code, outcome.error.message, {
          status: outcome.error.status,
          upstreamError: outcome.error.upstreamError,
          mpCode: outcome.error.mpCode,
          description: outcome.error.description,
          attempts: attempt,
          // A wait too long to make here is the queue's to make (the job's delay).
          retryAfterMs: outcome.retryAfterMs,
          cause: outcome.error.cause,
        });
      }
      await this.sleep(delayMs);
    }
  }

  private async attempt(assertion: string): Promise<AttemptOutcome> {
    const started = performance.now();
    const outcome = await this.send(assertion);
    const seconds = (performance.now() - started) / 1000;
    this.options.breakers?.recordCall(
      'maskinporten',
      outcome.kind === 'token' ? 200 : (outcome.noAnswer ?? outcome.error.status ?? 'network'),
    );
    if (outcome.kind === 'token') {
      this.options.metrics?.upstreamCall({
        upstream: 'maskinporten',
        operation: 'token',
        outcome: 'ok',
        status: 200,
        seconds,
      });
    } else {
      const { error } = outcome;
      this.options.metrics?.upstreamCall({
        upstream: 'maskinporten',
        operation: 'token',
        outcome: 'error',
        status: outcome.noAnswer ?? error.status,
        code: error.mpCode ?? error.upstreamError ?? error.code,
        seconds,
      });
    }
    return outcome;
  }

  private async send(assertion: string): Promise<AttemptOutcome> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await this.fetch(this.options.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(),
        signal,
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (error) {
      // Timeouts (the signal) and network errors (fetch's TypeError) alike: the request may never have
      // arrived, or its answer never came back; another attempt with a new grant is safe.
      const timedOut = signal.aborted;
      return {
        kind: 'failure',
        retryable: true,
        noAnswer: timedOut ? 'timeout' : 'network',
        error: new MaskinportenError(
          'maskinporten.unavailable',
          timedOut
            ? `Maskinporten did not answer within ${this.timeoutMs} ms`
            : `Maskinporten could not be reached: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        ),
      };
    }
    const body = parseJson(text);
    if (status === 200) {
      const parsed = tokenResponseSchema.safeParse(body);
      if (parsed.success) {
        const { access_token, token_type, expires_in, scope } = parsed.data;
        return {
          kind: 'token',
          response: { accessToken: access_token, tokenType: token_type, expiresIn: expires_in, scope },
        };
      }
      // Never echo the body: it may hold a token.
      return {
        kind: 'failure',
        retryable: false,
        error: new MaskinportenError(
          'maskinporten.invalid_response',
          'Maskinporten answered 200 without a token response',
          {
            status,
          },
        ),
      };
    }
    const classified = classifyTokenFailure(status, body);
    // RFC 6585 §4: 429 is "slow down", not a refusal of this grant: another attempt later may succeed.
    const failure =
      status === 429
        ? { ...classified, code: 'maskinporten.unavailable' as const, retryable: true }
        : classified;
    const summary = [failure.upstreamError, failure.mpCode].filter(Boolean).join(' ');
    return {
      kind: 'failure',
      retryable: failure.retryable,
      retryAfterMs: status === 429 || status === 503 ? retryAfterMs(retryAfter, new Date()) : undefined,
      error: new MaskinportenError(
        failure.code,
        `Maskinporten refused the token request: ${status}${summary ? ` ${summary}` : ''}${
          failure.description ? `: ${failure.description}` : ''
        }`,
        {
          status,
          upstreamError: failure.upstreamError,
          mpCode: failure.mpCode,
          description: failure.description,
        },
      ),
    };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
