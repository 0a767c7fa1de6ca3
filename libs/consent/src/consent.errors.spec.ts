import { ConsentError, submissionRefusal } from './consent.errors';

describe('submissionRefusal', () => {
  it('refuses a failed request with the upstream failure kept on it', () => {
    const upstream = { source: 'altinn', code: 'altinn.request_refused' };
    const refusal = submissionRefusal({ id: 'c-1', status: 'failed', upstream });
    expect(refusal).toBeInstanceOf(ConsentError);
    expect(refusal).toMatchObject({
      code: 'consent.upstream_refused',
      problemExtensions: { consentRequestId: 'c-1', failure: upstream },
    });
  });

  it.each([['pending'], ['created'], ['accepted']] as const)(
    'has nothing to refuse for a %s request',
    (status) => {
      expect(submissionRefusal({ id: 'c-1', status, upstream: null })).toBeUndefined();
    },
  );
});
