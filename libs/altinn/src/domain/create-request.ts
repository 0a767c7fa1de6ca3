/** docs/upstream-contract.md §2: the one resource attribute type a consent right names. */
export const CONSENT_RESOURCE_TYPE = 'urn:altinn:resource';

/** The body of `POST …/consentrequests` (docs/upstream-contract.md §2 "Create body"). */
export interface AltinnCreateConsentRequest {
  /** Chosen by the consumer; the same id again with the same parties is answered 200. */
  id: string;
  /** `urn:altinn:person:identifier-no:<11 digits>` or `urn:altinn:organization:identifier-no:<9 digits>`. */
  from: string;
  /** The consumer's organisation URN; must equal the token's consumer, else 403. */
  to: string;
  validTo: Date;
  consentRights: {
    action: readonly string[];
    resource: readonly { type: typeof CONSENT_RESOURCE_TYPE; value: string }[];
    metadata?: Readonly<Record<string, string>>;
  }[];
  requestMessage?: { nb?: string; nn?: string; en?: string };
  redirectUrl: string;
  requiredDelegator?: string;
  portalViewMode?: 'Hide' | 'Show';
}

/**
 * The JSON Altinn gets: exactly the contract's member names in a fixed order, absent optionals left out,
 * and nothing else the caller's object may carry (`handledBy` or `templateId` would be refused).
 */
export function createRequestJson(request: AltinnCreateConsentRequest): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: request.id,
    from: request.from,
    to: request.to,
    validTo: request.validTo.toISOString(),
    consentRights: request.consentRights.map((right) => ({
      action: [...right.action],
      resource: right.resource.map(({ type, value }) => ({ type, value })),
      ...(right.metadata === undefined ? {} : { metadata: { ...right.metadata } }),
    })),
  };
  if (request.requestMessage !== undefined) {
    const { nb, nn, en } = request.requestMessage;
    json.requestMessage = {
      ...(nb === undefined ? {} : { nb }),
      ...(nn === undefined ? {} : { nn }),
      ...(en === undefined ? {} : { en }),
    };
  }
  json.redirectUrl = request.redirectUrl;
  if (request.requiredDelegator !== undefined) json.requiredDelegator = request.requiredDelegator;
  if (request.portalViewMode !== undefined) json.portalViewMode = request.portalViewMode;
  return json;
}
