import { type UpstreamCallRecorder } from '@gw/circuit-breaker';
import { type MetricsRecorder } from '@gw/observability';
import { AltinnError } from './altinn.errors';
import { type AltinnConsentRequestDetails, parseConsentDetails } from './domain/consent-details';
import { type AltinnCreateConsentRequest, createRequestJson } from './domain/create-request';
import {
  type AltinnFeedPage,
  type AltinnFeedQuery,
  feedQueryString,
  parseFeedPage,
} from './domain/event-feed';
import { classifyFailure } from './domain/problem';
import { retryAfterMs } from './domain/retry-after';
import { parseJson } from './domain/tolerant-read';

/** docs/upstream-contract.md §2: the enterprise consent API, lower-case routes. */
export const CONSENT_REQUESTS_PATH = '/accessmanagement/api/v1/enterprise/consentrequests';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AltinnClientOptions {
  /** `https://platform.tt02.altinn.no` (test) or `https://platform.altinn.no` (prod); no path. */
  baseUrl: string;
  /** Per call, body included; default 10 000 ms. */
  timeoutMs?: number;
  /** Counts each call by operation, HTTP status and Altinn's problem code. */
  metrics?: MetricsRecorder;
  /** Told each call's status, so Altinn's circuit breaker sees it (in a worker). */
  breakers?: UpstreamCallRecorder;
}

type Operation = 'create' | 'get' | 'events';

/** What a create did: 201 gives the details; 200 means the id exists already with the same parties. */
export type CreateConsentResult =
  | { kind: 'created'; details: AltinnConsentRequestDetails; location: string | null }
  /**
   * docs/upstream-contract.md §2: the 200 body is Altinn's internal shape, not the details: GET the consent
   * instead.
   */
  | { kind: 'already_exists'; id: string };

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * Altinn's enterprise consent API (docs/upstream-contract.md §2). Every method takes the raw Maskinporten
 * access token of the consumer (the tenant's `consumer_org` token) and makes exactly one attempt: retries
 * belong to the queue, guided by `AltinnError.retryable`.
 */
export class AltinnConsentClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly metrics?: MetricsRecorder;
  private readonly breakers?: UpstreamCallRecorder;

  constructor(options: AltinnClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.metrics = options.metrics;
    this.breakers = options.breakers;
  }

  /**
   * `POST …/consentrequests`. Safe to repeat with the same request: Altinn answers a known id with the same
   * parties by 200 (`already_exists`), never a second consent.
   */
  async createConsentRequest(
    token: string,
    request: AltinnCreateConsentRequest,
  ): Promise<CreateConsentResult> {
    requireUuid(request.id);
    const answer = await this.call(
      'create',
      'POST',
      CONSENT_REQUESTS_PATH,
      token,
      createRequestJson(request),
    );
    if (answer.status === 200) return { kind: 'already_exists', id: request.id };
    if (answer.status === 201) {
      return {
        kind: 'created',
        details: this.details(answer),
        location: answer.headers.get('location'),
      };
    }
    throw failure(answer);
  }

  /** `GET …/consentrequests/{id}`; `altinn.not_found` (AM-00001), `altinn.forbidden` (AM-00000, another consumer's). */
  async getConsentRequest(token: string, id: string): Promise<AltinnConsentRequestDetails> {
    requireUuid(id);
    const answer = await this.call('get', 'GET', `${CONSENT_REQUESTS_PATH}/${id}`, token);
    if (answer.status === 200) return this.details(answer);
    throw failure(answer);
  }

  /**
   * `GET …/consentrequests/events`: one page (up to 100, oldest first) of the events of consents to the
   * token's consumer, older than Altinn's lag (≈300 s).
   */
  async listConsentEvents(token: string, query: AltinnFeedQuery = {}): Promise<AltinnFeedPage> {
    if (query.consentRequestId !== undefined) requireUuid(query.consentRequestId);
    const search = feedQueryString(query);
    const answer = await this.call(
      'events',
      'GET',
      `${CONSENT_REQUESTS_PATH}/events${search === '' ? '' : `?${search}`}`,
      token,
    );
    if (answer.status !== 200) throw failure(answer);
    const page = parseFeedPage(answer.body);
    if (page === undefined) throw invalidResponse(answer, 'an event feed page');
    return page;
  }

  private details(answer: Answer): AltinnConsentRequestDetails {
    const details = parseConsentDetails(answer.body);
    if (details === undefined) throw invalidResponse(answer, 'consent request details');
    return details;
  }

  /**
   * One call, counted by operation, status and Altinn's code (docs/upstream-contract.md §2 problem codes).
   */
  private async call(
    operation: Operation,
    method: 'GET' | 'POST',
    path: string,
    token: string,
    json?: unknown,
  ): Promise<Answer> {
    if (token.trim() === '') {
      throw new AltinnError('altinn.invalid_request', 'No access token for Altinn was given');
    }
    const started = performance.now();
    try {
      const answer = await this.send(method, path, token, json);
      const failed = answer.status >= 400;
      const failure = failed ? classifyFailure(answer.status, answer.body) : undefined;
      this.breakers?.recordCall('altinn', answer.status);
      this.metrics?.upstreamCall({
        upstream: 'altinn',
        operation,
        outcome: failed ? 'error' : 'ok',
        status: answer.status,
        code: failure ? (failure.problem?.code ?? failure.code) : undefined,
        seconds: (performance.now() - started) / 1000,
      });
      return answer;
    } catch (error) {
      const code = error instanceof AltinnError ? error.code : 'altinn.unavailable';
      this.breakers?.recordCall('altinn', code === 'altinn.timeout' ? 'timeout' : 'network');
      this.metrics?.upstreamCall({
        upstream: 'altinn',
        operation,
        outcome: 'error',
        status: code === 'altinn.timeout' ? 'timeout' : 'network',
        code,
        seconds: (performance.now() - started) / 1000,
      });
      throw error;
    }
  }

  private async send(method: 'GET' | 'POST', path: string, token: string, json?: unknown): Promise<Answer> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: json === undefined ? undefined : JSON.stringify(json),
        // Altinn does not redirect; following one could carry the token elsewhere.
        redirect: 'manual',
        signal,
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: parseJson(text) };
    } catch (error) {
      // The request may or may not have reached Altinn; create is idempotent on the id, reads are safe.
      if (signal.aborted) {
        throw new AltinnError(
          'altinn.timeout',
          `Altinn did not answer ${method} ${routeOf(path)} within ${this.timeoutMs} ms`,
          { cause: error },
        );
      }
      throw new AltinnError(
        'altinn.unavailable',
        `Altinn could not be reached for ${method} ${routeOf(path)}: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
  }
}

function requireUuid(id: string): void {
  // A non-UUID id matches no Altinn route (an empty 404), which would read as a wrong base URL.
  if (!UUID.test(id)) {
    throw new AltinnError('altinn.invalid_request', 'A consent request id must be a UUID');
  }
}

/** The route without ids or query, for messages. */
function routeOf(path: string): string {
  return path.split('?')[0].replace(/[0-9a-f]{8}-[0-9a-f-]{27}/i, '{id}');
}

function failure(answer: Answer): AltinnError {
  const { code, problem, maxRetries } = classifyFailure(answer.status, answer.body);
  // Code and title only: `detail` and extensions may echo request values.
  const summary = [problem?.code, problem?.title].filter(Boolean).join(' ');
  const waitMs =
    answer.status === 429 || answer.status === 503
      ? retryAfterMs(answer.headers.get('retry-after'), new Date())
      : undefined;
  return new AltinnError(
    code,
    `Altinn answered ${answer.status}${summary === '' ? '' : ` ${summary}`}${
      problem?.traceId === undefined ? '' : ` (traceId ${problem.traceId})`
    }`,
    { status: answer.status, problem, maxRetries, retryAfterMs: waitMs },
  );
}

function invalidResponse(answer: Answer, expected: string): AltinnError {
  // Never echo the body: details carry the person's identifier.
  return new AltinnError('altinn.invalid_response', `Altinn answered ${answer.status} without ${expected}`, {
    status: answer.status,
  });
}
