import { checkAuthorizationDetails } from './authorization-details';

const ID = '0197a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const PERSON = 'urn:altinn:person:identifier-no:03867199348';
const consent = (changes: Record<string, unknown> = {}) => ({
  type: 'urn:altinn:consent',
  id: ID,
  from: PERSON,
  ...changes,
});

describe('authorization_details of a grant', () => {
  it('reads one consent entry', () => {
    expect(checkAuthorizationDetails([consent()])).toEqual({ ok: true, value: { id: ID, from: PERSON } });
  });

  it('normalises the id and the URN prefix to lower case', () => {
    expect(
      checkAuthorizationDetails([
        consent({ id: ID.toUpperCase(), from: 'URN:altinn:organization:identifier-no:313876144' }),
      ]),
    ).toEqual({ ok: true, value: { id: ID, from: 'urn:altinn:organization:identifier-no:313876144' } });
  });

  it.each([
    ['an unknown type', [consent({ type: 'urn:altinn:other' })], 'MP-301'],
    ['no type', [{ id: ID, from: PERSON }], 'MP-301'],
    ['a system user entry', [{ type: 'urn:altinn:systemuser', systemuser_org: {} }], 'MP-301'],
    ['an extra field', [consent({ to: 'urn:altinn:organization:identifier-no:313876144' })], 'MP-302'],
    ['an object, not an array', consent(), 'MP-303'],
    ['no entries', [], 'MP-303'],
    ['two consents', [consent(), consent()], 'MP-303'],
    ['a string entry', ['urn:altinn:consent'], 'MP-303'],
    ['an id that is not a UUID', [consent({ id: '123' })], 'MP-303'],
    ['no id', [{ type: 'urn:altinn:consent', from: PERSON }], 'MP-303'],
    [
      'a person with a bad check digit',
      [consent({ from: 'urn:altinn:person:identifier-no:03867199349' })],
      'MP-303',
    ],
    ['a from that is no URN', [consent({ from: '03867199348' })], 'MP-303'],
  ])('refuses %s with %s', (_case, details, code) => {
    expect(checkAuthorizationDetails(details)).toMatchObject({
      ok: false,
      refusal: { error: 'invalid_grant', code },
    });
  });
});
