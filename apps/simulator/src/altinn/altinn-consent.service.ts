import { Inject, Injectable } from '@nestjs/common';
import { type JWTPayload, jwtVerify } from 'jose';
import { ConsentStore, type SimConsentRight } from '../core/consent-store';
import { partyUrn } from '../core/identifiers';
import { IssuerKey } from '../core/issuer-key';
import { SIM_CONFIG, type SimulatorConfig } from '../core/sim-config';
import { SimClock } from '../core/sim-clock';
import { SimEnvironment } from '../core/sim-environment';
import { SimRegistry } from '../core/sim-registry';
import { newTraceId } from '../core/trace-id';
import {
  bearerTokenOf,
  callerOf,
  type ConsentOperation,
  CONSENT_SCOPES,
  hasScopeFor,
  scopesOf,
} from './domain/bearer-claims';
import { renderConsentDetails, renderStoredConsentRequest, viewUriFor } from './domain/consent-details';
import { bindConsentRequest, isUuid, type ModelErrors } from './domain/create-request-binding';
import { judgeConsentRequest } from './domain/create-request-rules';
import { feedPage, nextPageQuery, parseFeedQuery, type RawQuery, renderFeedItem } from './domain/event-feed';
import {
  type Problem,
  problem,
  PROBLEMS,
  problemStatus,
  renderModelStateProblem,
  renderProblem,
  renderUnhandledException,
  validationProblem,
} from './domain/problems';

/** One HTTP answer of the simulated Altinn; the controller writes it as it is. */
export type AltinnReply =
  | { kind: 'empty'; status: number; headers?: Record<string, string> }
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'problem'; status: number; body: unknown };

export const CONSENT_REQUESTS_PATH = '/accessmanagement/api/v1/enterprise/consentrequests';

type Authentication = { ok: true; claims: JWTPayload } | { ok: false; reply: AltinnReply };

function problemReply(found: Problem): AltinnReply {
  return { kind: 'problem', status: problemStatus(found), body: renderProblem(found) };
}

/**
 * ASP.NET's automatic 400 for a body or query that does not bind (docs/upstream-contract.md#problem-details).
 */
function modelStateReply(errors: ModelErrors): AltinnReply {
  return { kind: 'problem', status: 400, body: renderModelStateProblem(errors, newTraceId()) };
}

/** An unhandled exception in Altinn: the framework's 500 problem, without `code`. */
function unhandledExceptionReply(): AltinnReply {
  return { kind: 'problem', status: 500, body: renderUnhandledException(newTraceId()) };
}

/**
 * ASP.NET's JwtBearer challenge: 401, empty body, `WWW-Authenticate: Bearer` (docs/upstream-contract.md §2).
 */
function unauthorized(tokenGiven: boolean): AltinnReply {
  return {
    kind: 'empty',
    status: 401,
    headers: { 'www-authenticate': tokenGiven ? 'Bearer error="invalid_token"' : 'Bearer' },
  };
}

const FORBIDDEN: AltinnReply = { kind: 'empty', status: 403 };
/** `Unauthorized()` from the action itself (no usable `consumer`): 401 without a challenge header. */
const UNAUTHORIZED_CALLER: AltinnReply = { kind: 'empty', status: 401 };

/**
 * The simulated Altinn enterprise consent API (docs/upstream-contract.md §2): authenticate, decide, store,
 * render.
 */
@Injectable()
export class AltinnConsentService {
  constructor(
    private readonly issuerKey: IssuerKey,
    private readonly environment: SimEnvironment,
    private readonly clock: SimClock,
    private readonly registry: SimRegistry,
    private readonly consents: ConsentStore,
    @Inject(SIM_CONFIG) private readonly config: SimulatorConfig,
  ) {}

  async create(
    authorization: string | undefined,
    contentType: string | undefined,
    body: unknown,
  ): Promise<AltinnReply> {
    // [Consumes("application/json")] is a routing constraint in ASP.NET: 415 comes before authentication.
    if (!/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType ?? '')) {
      return { kind: 'empty', status: 415 };
    }
    const authentication = await this.authenticate(authorization, 'create');
    if (!authentication.ok) return authentication.reply;

    // Model binding and validation run before the action (its authorisation policy before them).
    const binding = bindConsentRequest(body);
    if (!binding.ok) return modelStateReply(binding.errors);
    const caller = callerOf(authentication.claims);
    if (!caller) return UNAUTHORIZED_CALLER;
    const request = binding.request;
    const to = partyUrn(request.to);
    // docs/upstream-contract.md#create: `to` must be the token's consumer, else 403 with an empty body,
    // unless the token has `altinn:consentrequests.org` (an org asking consent to its own resources); then
    // the consumer becomes `handledBy`. Enterprise ConsentController.CreateRequest in
    // altinn-authorization-tmp.
    let handledBy = caller.supplierUrn;
    if (to !== caller.consumerUrn) {
      if (!scopesOf(authentication.claims.scope).includes(CONSENT_SCOPES.org)) return FORBIDDEN;
      handledBy = caller.consumerUrn;
    }
    // The action authorises each right by reading `Resource[0]` before the service validates anything: a
    // right without resources throws there, and ASP.NET answers its 500 (docs/upstream-contract.md#create).
    if (request.consentRights.some((right) => right.resource.length === 0)) return unhandledExceptionReply();

    const verdict = judgeConsentRequest(request, {
      now: this.clock.now(),
      isKnownParty: (identifier) => this.registry.isKnownParty(identifier),
      resource: (id) => this.registry.resource(id),
    });
    if (!verdict.ok) return problemReply(verdict.problem);

    const from = partyUrn(request.from);
    const existing = this.consents.get(request.id);
    if (existing) {
      // docs/upstream-contract.md §2: same id and parties → 200 with Altinn's stored (internal) shape; other
      // fields are not compared. Same id, other parties → AM-00016.
      if (existing.from === from && existing.to === to) {
        return {
          kind: 'json',
          status: 200,
          body: renderStoredConsentRequest(existing, viewUriFor(this.environment.baseUrl, existing.id)),
        };
      }
      return problemReply(problem(PROBLEMS.consentWithIdAlreadyExists, { requestId: request.id }));
    }

    const consentRights: SimConsentRight[] = request.consentRights.map((right) => ({
      action: right.action,
      resource: right.resource.map(({ type, value }) => ({ type, value })),
      // An empty metadata object is stored as no metadata: Altinn reads it back as null.
      metadata: right.metadata && Object.keys(right.metadata).length > 0 ? right.metadata : null,
    }));
    const stored = this.consents.insert(
      {
        id: request.id,
        from,
        to,
        requiredDelegator: request.requiredDelegator ? partyUrn(request.requiredDelegator) : null,
        handledBy,
        validTo: request.validTo,
        consentRights,
        requestMessage: request.requestMessage,
        redirectUrl: request.redirectUrl,
        portalViewMode: request.portalViewMode,
        templateId: verdict.templateId,
        // Altinn's details have no one-time field; the flag stays in the store (GET /_sim/consents/:id).
        oneTime: verdict.oneTime,
      },
      // The Created event is performed by the consumer (`to`), as Altinn records it.
      caller.consumerUrn,
    );
    return {
      kind: 'json',
      status: 201,
      headers: { location: `${this.environment.baseUrl}${CONSENT_REQUESTS_PATH}/${stored.id}` },
      body: renderConsentDetails(stored, this.clock.now(), viewUriFor(this.environment.baseUrl, stored.id)),
    };
  }

  async get(authorization: string | undefined, id: string): Promise<AltinnReply> {
    // The route is `{consentRequestId:guid}`: anything else matches no route at all, before authentication.
    if (!isUuid(id)) return { kind: 'empty', status: 404 };
    const authentication = await this.authenticate(authorization, 'read');
    if (!authentication.ok) return authentication.reply;
    const caller = callerOf(authentication.claims);
    if (!caller) return UNAUTHORIZED_CALLER;

    const consent = this.consents.get(id);
    if (!consent) return problemReply(problem(PROBLEMS.consentNotFound));
    // docs/upstream-contract.md §2: `to` ≠ caller → 403 AM-00000 (a problem body, unlike the policy's 403).
    if (consent.to !== caller.consumerUrn)
      return problemReply(problem(PROBLEMS.notAuthorizedForConsentRequest));
    return {
      kind: 'json',
      status: 200,
      body: renderConsentDetails(consent, this.clock.now(), viewUriFor(this.environment.baseUrl, consent.id)),
    };
  }

  async events(authorization: string | undefined, rawQuery: RawQuery): Promise<AltinnReply> {
    const authentication = await this.authenticate(authorization, 'read');
    if (!authentication.ok) return authentication.reply;
    const parsed = parseFeedQuery(rawQuery);
    // Model binding errors come before the action runs, so before the caller check.
    if (parsed.kind === 'unbindable') return modelStateReply(parsed.errors);
    const caller = callerOf(authentication.claims);
    if (!caller) return UNAUTHORIZED_CALLER;
    switch (parsed.kind) {
      case 'invalid':
        return problemReply(validationProblem(parsed.errors));
      case 'event_type_cast_failure':
        return unhandledExceptionReply();
      case 'ok':
        break;
    }

    const visibleUntilMs = this.clock.now().getTime() - this.config.SIMULATOR_FEED_LAG_SECONDS * 1000;
    const page = feedPage(this.consents.eventsTo(caller.consumerUrn), parsed.query, visibleUntilMs);
    const nextQuery = nextPageQuery(page, parsed);
    return {
      kind: 'json',
      status: 200,
      body: {
        links: {
          next:
            nextQuery === null
              ? null
              : `${this.environment.baseUrl}${CONSENT_REQUESTS_PATH}/events?${nextQuery}`,
        },
        data: page.map(renderFeedItem),
      },
    };
  }

  /**
   * docs/upstream-contract.md §2: a raw Maskinporten access token, RS256 by the simulated Maskinporten's key,
   * `iss` its issuer, unexpired by the simulated clock (no clock skew: the stricter reading), with the
   * scope the operation needs.
   */
  private async authenticate(
    authorization: string | undefined,
    operation: ConsentOperation,
  ): Promise<Authentication> {
    const token = bearerTokenOf(authorization);
    if (token === undefined) return { ok: false, reply: unauthorized(false) };
    let claims: JWTPayload;
    try {
      const verified = await jwtVerify(token, this.issuerKey.publicKey, {
        algorithms: ['RS256'],
        issuer: this.environment.issuer,
        currentDate: this.clock.now(),
        requiredClaims: ['exp'],
      });
      if (verified.protectedHeader.kid !== undefined && verified.protectedHeader.kid !== this.issuerKey.kid) {
        return { ok: false, reply: unauthorized(true) };
      }
      claims = verified.payload;
    } catch {
      return { ok: false, reply: unauthorized(true) };
    }
    if (!hasScopeFor(operation, claims.scope)) return { ok: false, reply: FORBIDDEN };
    return { ok: true, claims };
  }
}
