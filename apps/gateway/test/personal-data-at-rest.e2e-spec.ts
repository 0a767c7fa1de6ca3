import { generateWrappedDataKey } from '@gw/personal-data';
import { ConsentStack, createBody, PERSON, READ, TENANT_A, WRITE } from './consent-stack';

const KMS_CREDENTIALS = { accessKeyId: 'AKIDSGWTEST', secretAccessKey: 'not-a-secret' };

function kmsOptions(endpoint: string) {
  return {
    region: 'eu-north-1',
    endpoint,
    credentials: KMS_CREDENTIALS,
    wrappingKeyId: 'alias/sgw-personal-data',
  };
}

/** The consent stack with the data key wrapped by the simulated KMS, as production configures it. */
class WrappedKeyStack extends ConsentStack {
  /** The PERSONAL_DATA_* and KMS variables of gateway and worker; filled once the simulator runs. */
  readonly personalDataEnv: Record<string, string> = {};

  // startStack starts the simulator, then the gateway (here), then the worker with personalDataEnv.
  override async start(env: Record<string, string> = {}): Promise<this> {
    Object.assign(this.personalDataEnv, {
      PERSONAL_DATA_WRAPPED_KEYS: await generateWrappedDataKey('e2e-1', kmsOptions(this.sim.baseUrl)),
      KMS_ENDPOINT: this.sim.baseUrl,
      KMS_ACCESS_KEY_ID: KMS_CREDENTIALS.accessKeyId,
      KMS_SECRET_ACCESS_KEY: KMS_CREDENTIALS.secretAccessKey,
    });
    return super.start({ ...env, ...this.personalDataEnv });
  }
}

// Encryption at rest end to end: both processes unwrap the data key through KMS at start; the gateway seals
// the person's number, the worker opens it for Altinn and for the consent-token grant.
describe('personal data at rest, end to end', () => {
  const stack = new WrappedKeyStack();
  let key: string;

  beforeAll(async () => {
    await stack.startStack(stack.personalDataEnv);
    ({ key } = await stack.onboard(TENANT_A, 'Sparebank Super', [WRITE, READ]));
  });
  afterAll(() => stack.close());

  it('stores the person number only sealed, and the worker still submits it and gets a consent token', async () => {
    const created = await stack.request('POST', '/v1/consent-requests', {
      key,
      body: createBody(),
      headers: { prefer: 'wait=20' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'created',
      from: `urn:altinn:person:identifier-no:${PERSON}`,
    });
    const id = created.body.id as string;

    const [row] = await stack.database.dataSource.query<{ row: string; key_id: string }[]>(
      'SELECT c::text AS row, from_party_key_id AS key_id FROM consent_requests c WHERE id = $1',
      [id],
    );
    expect(row.key_id).toBe('e2e-1');
    expect(row.row).not.toContain(PERSON);
    expect(
      row.row
        .replace(/\\+x[0-9a-f]+/g, '')
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>'),
    ).not.toMatch(/\d{11}/);

    // Altinn has the person the gateway sealed: the worker opened it.
    const atAltinn = await stack.sim.control<{ from: string }>('GET', `/_sim/consents/${id}`);
    expect(atAltinn.from).toBe(`urn:altinn:person:identifier-no:${PERSON}`);

    await stack.sim.control('POST', `/_sim/consents/${id}/accept`);
    await stack.waitForStatus(key, id, 'accepted');
    const token = await stack.request('POST', `/v1/consent-requests/${id}/token`, { key, body: {} });
    expect(token.status).toBe(200);
    expect((await stack.request('GET', `/v1/consent-requests/${id}`, { key })).body.from).toBe(
      `urn:altinn:person:identifier-no:${PERSON}`,
    );
  });
});
