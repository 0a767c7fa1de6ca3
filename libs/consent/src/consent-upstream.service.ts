import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import {
  AltinnConsentClient,
  AltinnError,
  problemWithoutRequestValues,
  type AltinnConsentRequestDetails,
  type AltinnProblem,
  type AltinnCreateConsentRequest,
} from '@gw/altinn';
import { MaskinportenError, MaskinportenTokenService, type TokenRequest } from '@gw/maskinporten';
import { Metrics } from '@gw/observability';
import { SigningError } from '@gw/signing';
import { TenantsService, type Tenant, type TenantId } from '@gw/tenants';
import { type ConsentRequest } from './consent-request';
import { ConsentRepository } from './consent.repository';
import { ConsentStatusScheduler } from './consent-status.scheduler';
import {
  expiryTransition,
  statusFromAltinnEventType,
  statusFromAltinnStatus,
  transition,
  type ConsentStatus,
} from './domain/consent-status';
import { organizationUrn } from '@gw/identifiers';
import { type UpstreamFailure } from '@gw/queue';
import { RetryableUpstreamError } from './consent.errors';
import { CONSENT_READ_SCOPE, CONSENT_WRITE_SCOPE, consentTokenRequest } from './domain/consent-token-request';
import { SubmissionSignals } from './submission-signals';

/** What a submission did; a submission Altinn may accept later throws `RetryableUpstreamError` instead. */
export type SubmitOutcome = 'created' | 'failed' | 'not_pending';

/**
 * The worker's side of consents: every call to Maskinporten and Altinn for a consent request, always with
 * `consumer_org` = the tenant's org number read from the registry here (docs/architecture.md
 * "Tenant isolation"), and every observed change applied through the status machine, once.
 */
@Injectable()
export class ConsentUpstreamService {
  private readonly logger = new Logger(ConsentUpstreamService.name);

  constructor(
    private readonly consents: ConsentRepository,
    private readonly tenants: TenantsService,
    private readonly tokens: MaskinportenTokenService,
    @Inject(AltinnConsentClient) private readonly altinn: AltinnConsentClient,
    private readonly scheduler: ConsentStatusScheduler,
    private readonly signals: SubmissionSignals,
    /** Outcomes per tenant and the person's answer time, when the process exports metrics. */
    @Optional() private readonly metrics?: Metrics,
  ) {}

  /**
   * Creates the request at Altinn (docs/architecture.md flow 2). Safe to repeat: Altinn answers a known id
   * with the same parties by 200, which is followed by a GET, never a second consent. Altinn's 4xx marks the
   * request `failed` with Altinn's problem; 5xx and timeouts throw {@link RetryableUpstreamError} until
   * `lastAttempt`, or until the error's own retry budget is spent (`retriesMade`: the job's attempts before
   * this one; a 500 without Altinn's code is worth only a couple), when they too end as `failed`.
   */
  async submit(
    tenantId: TenantId,
    consentId: string,
    lastAttempt: boolean,
    retriesMade = 0,
    /** A gateway waits for the answer (`Prefer: wait`): tell it once there is one. */
    announce = false,
  ): Promise<SubmitOutcome> {
    const outcome = await this.submitOnce(tenantId, consentId, lastAttempt, retriesMade);
    if (announce) await this.signals.announce(consentId);
    return outcome;
  }

  private async submitOnce(
    tenantId: TenantId,
    consentId: string,
    lastAttempt: boolean,
    retriesMade: number,
  ): Promise<SubmitOutcome> {
    // One read: the row and the tenant's org number from the registry.
    const found = await this.consents.findWithTenantOrg(tenantId, consentId);
    if (!found) return 'not_pending';
    const { consent, tenantOrg } = found;
    // A retry after the row became `created` but before its tracking jobs were queued: queue them now.
    if (consent.status === 'created') await this.scheduler.afterCreation(consent);
    if (consent.status !== 'pending') return 'not_pending';
    const request: TokenRequest = { scopes: [CONSENT_WRITE_SCOPE], consumerOrg: tenantOrg };
    try {
      const token = await this.tokens.accessToken(request);
      const created = await this.altinn.createConsentRequest(
        token.accessToken,
        altinnBody(consent, tenantOrg),
      );
      const details =
        created.kind === 'created'
          ? created.details
          : await this.altinn.getConsentRequest(token.accessToken, consentId);
      const updated = this.counted(
        await this.consents.transition(tenantId, consentId, {
          from: ['pending'],
          to: 'created',
          event: 'consent.created',
          viewUri: details.viewUri,
          eventData: { viewUri: details.viewUri },
        }),
      );
      if (updated) {
        await this.observe(updated, details);
        await this.scheduler.afterCreation(updated);
      }
      return 'created';
    } catch (error) {
      if (error instanceof AltinnError && error.code === 'altinn.unauthorized')
        await this.tokens.invalidate(request);
      const failure = describeFailure(error, retriesMade);
      if (failure.retryable && !lastAttempt) {
        throw new RetryableUpstreamError(failure.message, {
          cause: error,
          retryAfterMs: failure.retryAfterMs,
          source: failure.source,
          code: failure.code,
          upstreamCode: failure.upstreamCode,
        });
      }
      this.counted(
        await this.consents.transition(tenantId, consentId, {
          from: ['pending'],
          to: 'failed',
          event: 'consent.failed',
          upstream: failure.problem,
          eventData: { reason: failure.problem.code },
        }),
      );
      return 'failed';
    }
  }

  /** Fetches fresh status from Altinn and applies what changed (docs/architecture.md flow 3b and 3c). */
  async refresh(tenantId: TenantId, consentId: string): Promise<ConsentRequest | undefined> {
    const consent = await this.consents.find(tenantId, consentId);
    if (!consent || consent.status === 'pending' || consent.status === 'failed') return consent;
    const tenant = await this.tenants.get(tenantId);
    const details = await this.withToken(tenant, (token) => this.altinn.getConsentRequest(token, consentId));
    return (await this.observe(consent, details)) ?? consent;
  }

  /**
   * Reads the tenant's Altinn event feed from its stored cursor (docs/architecture.md flow 3a) and applies
   * every event to the tenant's own consents; events of requests this gateway does not know are skipped.
   */
  async pollFeed(tenantId: TenantId): Promise<{ events: number; applied: number }> {
    const tenant = await this.tenants.get(tenantId);
    let cursor = await this.consents.feedCursor(tenantId);
    let events = 0;
    let applied = 0;
    for (let page = 0; page < 50; page += 1) {
      const feed = await this.withToken(tenant, (token) =>
        this.altinn.listConsentEvents(token, cursor === null ? {} : { continuationToken: cursor }),
      );
      for (const event of feed.events) {
        events += 1;
        const observed = statusFromAltinnEventType(event.eventType);
        if (observed === undefined || observed === 'expired') continue;
        const consent = await this.consents.find(tenantId, event.consentRequestId);
        // A `pending` request belongs to its creation job (see test/faults): after a worker died between
        // Altinn's create and our write, the feed shows "Created"/"Accepted" before the job's retry runs.
        // Moving it here would skip `consent.created` and leave it without Altinn's viewUri for good (the
        // retry then finds it not pending). The retry's create answers 200 and its GET applies all of it.
        if (consent && consent.status !== 'pending' && (await this.apply(consent, observed))) applied += 1;
      }
      if (feed.nextContinuationToken === null) break;
      cursor = feed.nextContinuationToken;
      await this.consents.saveFeedCursor(tenantId, cursor);
    }
    await this.consents.saveFeedCursor(tenantId, cursor);
    return { events, applied };
  }

  /**
   * The delayed job at `validTo`: Altinn never stores expiry, so the gateway emits it
   * (docs/upstream-contract.md §2).
   */
  async expire(
    tenantId: TenantId,
    consentId: string,
    now: Date = new Date(),
  ): Promise<ConsentRequest | undefined> {
    const consent = await this.consents.find(tenantId, consentId);
    return consent && this.expireIfDue(consent, now);
  }

  /** The expiry of a request already read: no second read of the row. */
  private async expireIfDue(
    consent: ConsentRequest,
    now: Date = new Date(),
  ): Promise<ConsentRequest | undefined> {
    if (consent.validTo > now) return undefined;
    const change = expiryTransition(consent.status);
    if (change.kind !== 'transition') return undefined;
    return this.counted(
      await this.consents.transition(consent.tenantId, consent.id, {
        from: [consent.status],
        to: change.to,
        event: change.eventType,
      }),
    );
  }

  /**
   * Puts a consent token into the shared token cache (docs/architecture.md flow 4): a grant with
   * `consumer_org` and `authorization_details [{type, id, from}]`. The gateway reads it from there; the token
   * never passes through the job or Postgres.
   */
  async warmConsentToken(
    tenantId: TenantId,
    consentId: string,
    scope: string,
  ): Promise<{ expiresAt: string }> {
    const consent = await this.consents.find(tenantId, consentId);
    if (!consent) throw new MaskinportenError('maskinporten.grant_refused', 'No such consent request');
    const tenant = await this.tenants.get(tenantId);
    const token = await this.tokens.accessToken(consentTokenRequest(consent, tenant.orgNumber, scope));
    return { expiresAt: token.expiresAt.toISOString() };
  }

  /** Applies Altinn's details: its status, and the expiry it never stores. */
  private async observe(
    consent: ConsentRequest,
    details: AltinnConsentRequestDetails,
  ): Promise<ConsentRequest | undefined> {
    const observed = statusFromAltinnStatus(details.status);
    let current: ConsentRequest | undefined = consent;
    if (observed !== undefined) current = (await this.apply(consent, observed, details.consented)) ?? consent;
    return (await this.expireIfDue(current)) ?? current;
  }

  private async apply(
    consent: ConsentRequest,
    observed: ConsentStatus,
    consented?: Date | null,
  ): Promise<ConsentRequest | undefined> {
    const change = transition(consent.status, observed);
    if (change.kind === 'illegal') {
      this.logger.warn(`Consent ${consent.id} is ${consent.status}; Altinn reports ${observed}: kept`);
      return undefined;
    }
    if (change.kind === 'none') return undefined;
    return this.counted(
      await this.consents.transition(consent.tenantId, consent.id, {
        from: [consent.status],
        to: change.to,
        event: change.eventType,
        ...(change.to === 'accepted' ? { consentedAt: consented ?? new Date() } : {}),
      }),
    );
  }

  /** Counts a consent that changed status (docs/observability.md "Metrics"); passes it on. */
  private counted(updated: ConsentRequest | undefined): ConsentRequest | undefined {
    if (updated) {
      this.metrics?.consentOutcome({
        tenantId: updated.tenantId,
        status: updated.status,
        createdAt: updated.createdAt,
        answeredAt: updated.consentedAt ?? new Date(),
      });
    }
    return updated;
  }

  /** A read token for the tenant; one retry with a fresh token when Altinn refuses the cached one. */
  private async withToken<T>(tenant: Tenant, call: (token: string) => Promise<T>): Promise<T> {
    const request: TokenRequest = { scopes: [CONSENT_READ_SCOPE], consumerOrg: tenant.orgNumber };
    try {
      return await call((await this.tokens.accessToken(request)).accessToken);
    } catch (error) {
      if (!(error instanceof AltinnError) || error.code !== 'altinn.unauthorized') throw error;
      await this.tokens.invalidate(request);
      return call((await this.tokens.accessToken(request)).accessToken);
    }
  }
}

function altinnBody(consent: ConsentRequest, tenantOrg: string): AltinnCreateConsentRequest {
  return {
    id: consent.id,
    from: consent.from,
    // docs/architecture.md flow 2: `to` is always the acting tenant, from the registry.
    to: organizationUrn(tenantOrg),
    validTo: consent.validTo,
    consentRights: consent.consentRights.map((right) => ({
      action: right.action,
      resource: right.resource.map((resource) => ({
        type: 'urn:altinn:resource' as const,
        value: resource.value,
      })),
      ...(right.metadata ? { metadata: right.metadata } : {}),
    })),
    ...(consent.requestMessage ? { requestMessage: consent.requestMessage } : {}),
    redirectUrl: consent.redirectUrl,
    ...(consent.requiredDelegator ? { requiredDelegator: consent.requiredDelegator } : {}),
    ...(consent.portalViewMode ? { portalViewMode: consent.portalViewMode } : {}),
  };
}

/**
 * A submission's failure: the shared upstream failure shape (its `retryable` within the error's own retry
 * budget) and what the request keeps of it.
 */
interface Failure extends UpstreamFailure {
  /**
   * What the tenant sees of the failure, kept on the request: codes, Altinn's `detail` and the field
   * paths it names; never Altinn's extension members, which may repeat request values.
   */
  problem: {
    source: 'altinn' | 'maskinporten' | 'signing' | 'gateway';
    code: string;
    [member: string]: unknown;
  };
}

function describeFailure(error: unknown, retriesMade: number): Failure {
  if (error instanceof AltinnError) {
    const altinnProblem = error.problem ? problemWithoutRequestValues(error.problem) : null;
    return {
      source: error.source,
      code: error.code,
      upstreamCode: error.upstreamCode,
      retryable: error.mayRetry(retriesMade),
      retryAfterMs: error.retryAfterMs,
      message: error.message,
      problem: {
        source: 'altinn',
        code: error.code,
        status: error.status ?? null,
        ...(altinnProblem === null ? {} : altinnFailureView(altinnProblem)),
        altinnProblem,
      },
    };
  }
  if (error instanceof MaskinportenError) {
    return {
      source: error.source,
      code: error.code,
      upstreamCode: error.upstreamCode,
      retryable: error.retryable,
      retryAfterMs: error.retryAfterMs,
      message: error.message,
      problem: { source: 'maskinporten', code: error.code, mpCode: error.mpCode ?? null },
    };
  }
  if (error instanceof SigningError) {
    return {
      source: 'signing',
      code: error.code,
      retryable: error.retryable,
      message: error.message,
      problem: { source: 'signing', code: error.code },
    };
  }
  return {
    source: 'gateway',
    code: 'consent.unexpected_error',
    retryable: true,
    message: error instanceof Error ? error.message : String(error),
    problem: { source: 'gateway', code: 'consent.unexpected_error' },
  };
}

/**
 * Altinn's own words first: its code, its `detail` (4.0.1's problems have no `title`; ASP.NET's have only
 * a generic one such as "One or more validation errors occurred."), and each field error's code, detail
 * and paths as pointers into the tenant's request.
 */
function altinnFailureView(problem: AltinnProblem): Record<string, unknown> {
  const inner = [problem, ...problem.problems];
  const errors = inner.flatMap((each) =>
    each.validationErrors.map((error) => ({
      ...(error.code === undefined ? {} : { code: error.code }),
      ...(error.detail === undefined ? {} : { detail: error.detail }),
      paths: error.paths,
    })),
  );
  return {
    upstreamCode: problem.code ?? null,
    detail: problem.detail ?? problem.title ?? null,
    errors,
    // STD-00001: the problems Altinn reported together, each by its code and text.
    problems: problem.problems.map((each) => ({
      code: each.code ?? null,
      detail: each.detail ?? each.title ?? null,
    })),
    traceId: problem.traceId ?? null,
  };
}
