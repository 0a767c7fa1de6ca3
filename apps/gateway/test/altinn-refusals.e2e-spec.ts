import { ConsentStack, createBody, PERSON, READ, TENANT_A, WRITE } from './consent-stack';

// What a tenant sees when Altinn refuses a consent request (docs/upstream-contract.md "Problem details"):
// Altinn's own text and codes and the fields it names, through Prefer: wait and GET alike; never request
// values.
describe('consent requests Altinn refuses', () => {
  const stack = new ConsentStack();
  let key: string;

  beforeAll(async () => {
    await stack.startStack();
    ({ key } = await stack.onboard(TENANT_A, 'Sparebank Super', [WRITE, READ]));
  });
  afterAll(() => stack.close());

  const submit = (body: Record<string, unknown>) =>
    stack.request('POST', '/v1/consent-requests', { key, body, headers: { prefer: 'wait=20' } });

  it("shows Altinn's detail and code of a refused resource, not a generic title", async () => {
    const refused = await submit(
      createBody({
        consentRights: [
          { action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: 'no-such-resource' }] },
        ],
      }),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.failure).toMatchObject({
      source: 'altinn',
      code: 'altinn.request_refused',
      upstreamCode: 'AM-00005',
      detail: expect.any(String),
    });
    expect(refused.body.failure.detail).not.toMatch(/^Bad Request$/);
    const view = await stack.request('GET', `/v1/consent-requests/${refused.body.consentRequestId}`, { key });
    expect(view.body.status).toBe('failed');
    expect(view.body.failure).toEqual(refused.body.failure);
    expect(JSON.stringify(view.body.failure)).not.toContain(PERSON);
  });

  it('lists each problem of several reported together (STD-00001), without the metadata keys', async () => {
    const refused = await submit(
      createBody({
        consentRights: [
          {
            action: ['consent'],
            resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
            metadata: { INNTEKTSAR: '2024' },
          },
        ],
      }),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.failure).toMatchObject({
      code: 'altinn.validation_failed',
      upstreamCode: 'STD-00001',
      problems: [
        { code: 'AM-00006', detail: expect.any(String) },
        { code: 'AM-00008', detail: expect.any(String) },
      ],
    });
    // Extension members (`key`) are not kept: they may repeat request values.
    expect(refused.body.failure.altinnProblem.problems[0].extensions).toEqual({});
  });

  it('refuses a right without resources itself (Altinn would crash on it), naming the field', async () => {
    const refused = await stack.request('POST', '/v1/consent-requests', {
      key,
      body: createBody({ consentRights: [{ action: ['consent'], resource: [] }] }),
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ pointer: '/consentRights/0/resource' })]),
    );
  });
});
