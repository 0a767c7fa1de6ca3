import { uuidV7 } from '@gw/persistence';
import { type TenantId } from '@gw/tenants';
import { createBody, TENANT_A } from '@test/seed';
import { type ConsentRepository } from '../src/consent.repository';

/** Stores the seed body as a `pending` request of `tenantId` (as the gateway does) and returns its id. */
export async function storePendingConsent(consents: ConsentRepository, tenantId: TenantId): Promise<string> {
  const body = createBody();
  const outcome = await consents.insertPending({
    id: uuidV7(),
    tenantId,
    from: body.from,
    toOrg: TENANT_A,
    validTo: new Date(body.validTo),
    consentRights: body.consentRights,
    requestMessage: null,
    redirectUrl: body.redirectUrl,
    requiredDelegator: null,
    portalViewMode: null,
  });
  if (outcome.kind !== 'inserted') throw new Error(outcome.kind);
  return outcome.consent.id;
}
