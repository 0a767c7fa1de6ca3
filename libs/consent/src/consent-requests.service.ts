import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { type Job, type Queue } from 'bullmq';
import { AuditService, type Caller } from '@gw/audit';
import { pageOf, RequestValidationError, type Page } from '@gw/http';
import { TokenCacheReader } from '@gw/maskinporten';
import { uuidV7 } from '@gw/persistence';
import {
  type ConsentStatusJob,
  type JobPayloads,
  jobIds,
  jobName,
  jobOf,
  JobOutcomes,
  QueueName,
} from '@gw/queue';
import { TenantsService, type TenantId } from '@gw/tenants';
import { ConsentError } from './consent.errors';
import { type ConsentRequest } from './consent-request';
import { ConsentRepository, type IdempotencyRecord } from './consent.repository';
import { CONSENT_READ_SCOPE, consentTokenRequest } from './domain/consent-token-request';
import { validateConsentInput } from './domain/consent-input';
import { fingerprintOf } from './domain/fingerprint';
import { type ConsentStatus } from './domain/consent-status';
import { tokenEligibility } from './domain/token-eligibility';
import { SubmissionSignals, type SubmissionExpectation } from './submission-signals';

/** The tenant acting through its API key. */
export interface ConsentCaller extends Caller {
  tenantId: TenantId;
  orgNumber: string;
}

export interface ConsentListQuery {
  status?: ConsentStatus;
  updatedAfter?: Date;
  after?: { updatedAt: string; id: string };
  limit: number;
}

export interface ConsentToken {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

/** docs/architecture.md flow 4: at most this long for a worker to fetch a consent token. */
const TOKEN_WAIT_MS = 30_000;

/**
 * The gateway's side of consents: validate, store, enqueue, read. It never calls an upstream itself
 * (docs/architecture.md "Processes"); what needs Maskinporten or Altinn goes through the queues and is
 * awaited here.
 */
@Injectable()
export class ConsentRequestsService {
  constructor(
    private readonly consents: ConsentRepository,
    private readonly tenants: TenantsService,
    private readonly audit: AuditService,
    private readonly tokenCache: TokenCacheReader,
    @InjectQueue(QueueName.ConsentCreate) private readonly createQueue: Queue<JobPayloads['consent-create']>,
    @InjectQueue(QueueName.ConsentStatus) private readonly statusQueue: Queue<ConsentStatusJob>,
    @InjectQueue(QueueName.ConsentToken) private readonly tokenQueue: Queue<JobPayloads['consent-token']>,
    private readonly jobs: JobOutcomes,
    private readonly signals: SubmissionSignals,
  ) {}

  /**
   * docs/architecture.md flow 2: validates, stores the request `pending` with its event, and enqueues its
   * creation at Altinn (jobId = consent id). With an Idempotency-Key the same key and body answer the first
   * request again; the same key with another body is refused. Nothing stays behind when it fails.
   */
  async create(
    caller: ConsentCaller,
    body: unknown,
    idempotencyKey?: string,
    now: Date = new Date(),
  ): Promise<{ consent: ConsentRequest; replayed: boolean; job?: Job }> {
    return this.store(caller, body, idempotencyKey, now, false);
  }

  /**
   * `Prefer: wait=N`: creates as {@link create} does, then waits up to `seconds` for the worker's answer,
   * which the worker announces (no polling), and returns the request as it is then. A replay's job was
   * queued by the first request, unannounced: that wait goes through the queue's events instead.
   */
  async createAndWait(
    caller: ConsentCaller,
    body: unknown,
    idempotencyKey: string | undefined,
    seconds: number,
    now: Date = new Date(),
  ): Promise<{ consent: ConsentRequest; replayed: boolean }> {
    const { consent, replayed, job, expectation } = await this.store(
      caller,
      body,
      idempotencyKey,
      now,
      seconds > 0,
    );
    if (consent.status !== 'pending') return { consent, replayed };
    if (expectation) await expectation.settled(seconds * 1000);
    else if (seconds > 0) {
      return { replayed, consent: await this.waitForSubmission(caller.tenantId, consent.id, seconds, job) };
    }
    return { replayed, consent: await this.get(caller.tenantId, consent.id) };
  }

  private async store(
    caller: ConsentCaller,
    body: unknown,
    idempotencyKey: string | undefined,
    now: Date,
    announce: boolean,
  ): Promise<{
    consent: ConsentRequest;
    replayed: boolean;
    job?: Job;
    expectation?: SubmissionExpectation;
  }> {
    const input = validateConsentInput(body, caller.orgNumber, now);
    if (!input.ok) throw new RequestValidationError(input.errors);
    const value = input.value;
    const idempotency: IdempotencyRecord | undefined =
      idempotencyKey === undefined ? undefined : { key: idempotencyKey, fingerprint: fingerprintOf(body) };
    const outcome = await this.consents.insertPending(
      {
        id: value.id ?? uuidV7(now.getTime()),
        tenantId: caller.tenantId,
        from: value.from,
        toOrg: caller.orgNumber,
        validTo: value.validTo,
        consentRights: value.consentRights,
        requestMessage: value.requestMessage ?? null,
        redirectUrl: value.redirectUrl,
        requiredDelegator: value.requiredDelegator ?? null,
        portalViewMode: value.portalViewMode ?? null,
      },
      idempotency,
      // Recorded by the insert's own statement; never the party (`from`), which is personal data.
      {
        caller,
        details: {
          validTo: value.validTo.toISOString(),
          resources: value.consentRights.flatMap((right) => right.resource.map((resource) => resource.value)),
        },
      },
    );
    switch (outcome.kind) {
      case 'replay':
        return { consent: outcome.consent, replayed: true };
      case 'key_mismatch':
        throw new ConsentError(
          'consent.idempotency_key_mismatch',
          'This Idempotency-Key was used with another request body',
        );
      case 'key_in_flight':
        throw new ConsentError(
          'consent.idempotency_key_in_flight',
          'A request with this Idempotency-Key is still being processed',
        );
      case 'duplicate_id':
        throw new ConsentError('consent.duplicate_id', 'A consent request with this id exists already');
      case 'inserted':
        break;
    }
    const consent = outcome.consent;
    // Registered before the job exists, so the worker's announcement cannot come first. Without Redis
    // the add below fails as well.
    const expectation = announce ? await this.signals.expect(consent.id).catch(() => undefined) : undefined;
    let job: Job;
    try {
      job = await this.createQueue.add(
        jobName(QueueName.ConsentCreate, 'create'),
        {
          tenantId: caller.tenantId,
          consentId: consent.id,
          ...(expectation === undefined ? {} : { announce: true }),
        },
        { jobId: jobIds.consentCreation(consent.id) },
      );
    } catch {
      expectation?.cancel();
      await this.consents.deletePending(caller.tenantId, consent.id);
      // The audit log is append-only: the creation's record stays, and this one says the request is gone.
      await this.audit.record(caller, {
        tenantId: caller.tenantId,
        action: 'consent_request.discarded',
        target: `consent_request:${consent.id}`,
        details: { reason: 'not_queued' },
      });
      throw new ConsentError('consent.not_queued', 'The request could not be queued; nothing was stored');
    }
    return { consent, replayed: false, job, expectation };
  }

  /**
   * `Prefer: wait=N`: the request once its creation job has ended, or as it is after `seconds`. Pass the
   * job `create` just queued to save looking it up again.
   */
  async waitForSubmission(
    tenantId: TenantId,
    id: string,
    seconds: number,
    queued?: Job,
  ): Promise<ConsentRequest> {
    const job = queued ?? (await this.createQueue.getJob(id));
    // A failed job is an answer too: its outcome is in the row.
    if (job) await this.jobs.waitFor(job, seconds * 1000);
    return this.get(tenantId, id);
  }

  async get(tenantId: TenantId, id: string): Promise<ConsentRequest> {
    const consent = await this.consents.find(tenantId, id);
    // Another tenant's consent is a 404, not a 403 (docs/architecture.md "Tenant isolation").
    if (!consent) throw new ConsentError('consent.not_found', `No consent request ${id}`);
    return consent;
  }

  /** docs/architecture.md flow 3c: fresh status from Altinn through the queue, awaited up to `seconds`. */
  async refresh(tenantId: TenantId, id: string, seconds = 10): Promise<ConsentRequest> {
    const consent = await this.get(tenantId, id);
    if (consent.status === 'pending' || consent.status === 'failed') return consent;
    const refresh = jobOf(QueueName.ConsentStatus, 'refresh', { kind: 'refresh', tenantId, consentId: id });
    const job = await this.statusQueue.add(refresh.name, refresh.data);
    await this.jobs.waitFor(job, seconds * 1000);
    return this.get(tenantId, id);
  }

  async list(tenantId: TenantId, query: ConsentListQuery): Promise<Page<ConsentRequest>> {
    const rows = await this.consents.list(tenantId, query);
    return pageOf(
      rows,
      query.limit,
      (row) => ({ updatedAt: row.updatedAt.toISOString(), id: row.id }),
      (row) => row,
    );
  }

  /**
   * docs/architecture.md flow 4: a consent token for an accepted, unexpired consent of this tenant, with a
   * scope the tenant delegated. Served from the shared token cache; on a miss a worker fetches it into the
   * cache. Every issue is audited (who, which consent, which scope; never the token).
   */
  async issueToken(
    caller: ConsentCaller,
    id: string,
    scope: string = CONSENT_READ_SCOPE,
    now: Date = new Date(),
  ): Promise<ConsentToken> {
    const consent = await this.get(caller.tenantId, id);
    const tenant = await this.tenants.get(caller.tenantId);
    if (!tenant.scopes.some((delegated) => delegated.scope === scope)) {
      throw new ConsentError(
        'consent.scope_not_delegated',
        `The tenant has not delegated the scope ${scope}`,
        {
          scope,
        },
      );
    }
    const eligibility = tokenEligibility(consent, now);
    if (!eligibility.ok) {
      throw new ConsentError(`consent.${eligibility.reason}`, `The consent request is ${consent.status}`, {
        consentStatus: consent.status,
      });
    }
    const request = consentTokenRequest(consent, tenant.orgNumber, scope);
    let token = await this.tokenCache.cached(request);
    if (!token) {
      const fetch = jobOf(QueueName.ConsentToken, 'token', {
        tenantId: caller.tenantId,
        consentId: id,
        scope,
      });
      const job = await this.tokenQueue.add(fetch.name, fetch.data);
      const outcome = await this.jobs.waitFor(job, TOKEN_WAIT_MS);
      // The worker's failure reason names the upstream code (e.g. maskinporten.consent_rejected), never a token.
      if (outcome.kind === 'failed') {
        throw new ConsentError(
          'consent.upstream_refused',
          `The upstream refused the token: ${outcome.reason}`,
        );
      }
      token = await this.tokenCache.cached(request);
      if (!token) {
        throw new ConsentError('consent.upstream_unavailable', 'No consent token could be fetched in time');
      }
    }
    await this.audit.record(caller, {
      tenantId: caller.tenantId,
      action: 'consent_token.issued',
      target: `consent_request:${id}`,
      details: { scope, expiresAt: token.expiresAt.toISOString() },
    });
    return {
      access_token: token.accessToken,
      token_type: token.tokenType,
      expires_in: token.expiresIn,
      scope: token.scope,
    };
  }
}
