import { type SimConsent } from '../../core/consent-store';
import { checkConsentGrant } from './consent-grant';

const NOW = new Date('2025-06-01T12:00:00Z');
const ID = '0197a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const PERSON = 'urn:altinn:person:identifier-no:03867199348';
const TENANT = '313876144';

const consent = (changes: Partial<SimConsent> = {}): SimConsent => ({
  id: ID,
  from: PERSON,
  to: `urn:altinn:organization:identifier-no:${TENANT}`,
  requiredDelegator: null,
  handledBy: null,
  validTo: new Date('2025-07-01T00:00:00Z'),
  consentRights: [],
  requestMessage: null,
  status: 'Accepted',
  consented: new Date('2025-06-01T11:00:00Z'),
  redirectUrl: 'https://bank.example/done',
  portalViewMode: 'Hide',
  templateId: 'default_v1',
  oneTime: false,
  events: [],
  ...changes,
});

describe('consent behind a token grant', () => {
  it('allows an accepted, unexpired consent from the person to the consumer', () => {
    const found = consent();
    expect(checkConsentGrant(found, { id: ID, from: PERSON }, TENANT, NOW)).toEqual({
      ok: true,
      value: found,
    });
  });

  it.each([
    ['unknown', undefined, {}, 'was not found'],
    [
      'from another person',
      consent(),
      { from: 'urn:altinn:person:identifier-no:01025161013' },
      'another party',
    ],
    [
      'to another consumer',
      consent({ to: 'urn:altinn:organization:identifier-no:974760673' }),
      {},
      "token's consumer",
    ],
    ['revoked', consent({ status: 'Revoked' }), {}, 'revoked'],
    ['not yet accepted', consent({ status: 'Created', consented: null }), {}, 'not accepted'],
    ['rejected', consent({ status: 'Rejected', consented: null }), {}, 'not accepted'],
    ['expired', consent({ validTo: NOW }), {}, 'expired'],
  ])('refuses a consent that is %s with MP-303 naming why', (_case, found, detail, why) => {
    expect(checkConsentGrant(found, { id: ID, from: PERSON, ...detail }, TENANT, NOW)).toMatchObject({
      ok: false,
      refusal: { error: 'invalid_grant', code: 'MP-303', reason: expect.stringContaining(why) as string },
    });
  });
});
