// `npm run demo`: the seed flow against a running `npm start`, step by step, through the gateway's own APIs:
// onboard (or find) Sparebank Super 313876144, issue an API key, check its delegation, create a consent
// request for person 03867199348, accept it as the person (simulator), read the status, get the consent
// token, and print the token's consumer, supplier and authorization_details, then the tenant's event feed.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const localFile = join(root, '.sgw-local.json');
const local = existsSync(localFile) ? JSON.parse(readFileSync(localFile, 'utf8')) : {};
const gatewayUrl = process.env.GATEWAY_URL ?? local.gatewayUrl ?? 'http://127.0.0.1:3000';
// The admin API is on the gateway's management listener.
const adminUrl = process.env.GATEWAY_ADMIN_URL ?? local.adminUrl ?? 'http://127.0.0.1:3002';
const simulatorUrl = process.env.SIMULATOR_URL ?? local.simulatorUrl ?? 'http://127.0.0.1:3100';
const adminKey = process.env.ADMIN_API_KEY ?? local.adminApiKey;
if (!adminKey) {
  process.stderr.write('No admin key: start the stack with `npm start` first, or set ADMIN_API_KEY.\n');
  process.exit(1);
}

const TENANT_ORG = '313876144';
const PERSON = '03867199348';
const SCOPES = ['altinn:consentrequests.write', 'altinn:consentrequests.read'];

let stepNumber = 0;
const step = (title) => process.stdout.write(`\n${(stepNumber += 1)}. ${title}\n`);
const show = (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

async function call(method, url, { key, body, headers = {} } = {}) {
  const response = await fetch(url, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  return { status: response.status, headers: response.headers, body: json };
}

async function expectOk(answerPromise, what) {
  const answer = await answerPromise;
  if (answer.status >= 400) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

function claimsOf(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

async function findOrOnboardTenant() {
  const created = await call('POST', `${adminUrl}/admin/v1/tenants`, {
    key: adminKey,
    body: { orgNumber: TENANT_ORG, name: 'Sparebank Super', scopes: SCOPES },
  });
  if (created.status === 201) return created.body;
  if (created.status !== 409)
    throw new Error(`onboarding: ${created.status} ${JSON.stringify(created.body)}`);
  for (let cursor = null; ;) {
    const page = await expectOk(
      call('GET', `${adminUrl}/admin/v1/tenants${cursor ? `?cursor=${cursor}` : ''}`, { key: adminKey }),
      'listing tenants',
    );
    const tenant = page.body.data.find((candidate) => candidate.orgNumber === TENANT_ORG);
    if (tenant) return tenant;
    if (!page.body.next) throw new Error('tenant 313876144 exists but was not listed');
    cursor = page.body.next;
  }
}

async function main() {
  step(`Operator onboards Sparebank Super (${TENANT_ORG}) with the consent scopes`);
  const tenant = await findOrOnboardTenant();
  show({ id: tenant.id, orgNumber: tenant.orgNumber, name: tenant.name, status: tenant.status });

  step('Operator issues the bank an API key (shown once)');
  const issued = await expectOk(
    call('POST', `${adminUrl}/admin/v1/tenants/${tenant.id}/api-keys`, {
      key: adminKey,
      body: { name: 'demo' },
    }),
    'issuing a key',
  );
  const apiKey = issued.body.key;
  show({ keyId: issued.body.id, prefix: issued.body.prefix });

  step('Operator checks the delegation at Maskinporten (consumer_org = the bank)');
  await expectOk(
    call('POST', `${adminUrl}/admin/v1/tenants/${tenant.id}/delegation-check`, { key: adminKey }),
    'delegation check',
  );
  let scopes = [];
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const read = await expectOk(
      call('GET', `${adminUrl}/admin/v1/tenants/${tenant.id}`, { key: adminKey }),
      'tenant',
    );
    scopes = read.body.scopes;
    if (scopes.every((scope) => scope.verifiedAt || scope.lastError)) break;
    await sleep(200);
  }
  show(scopes);

  step(`The bank asks person ${PERSON} for consent (Prefer: wait=10)`);
  const created = await expectOk(
    call('POST', `${gatewayUrl}/v1/consent-requests`, {
      key: apiKey,
      headers: { prefer: 'wait=10' },
      body: {
        from: `urn:altinn:person:identifier-no:${PERSON}`,
        validTo: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        consentRights: [
          {
            action: ['consent'],
            resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
            metadata: { INNTEKTSAAR: '2025' },
          },
        ],
        requestMessage: { nb: 'Sparebank Super ber om samtykke til å hente inntektsopplysninger.' },
        redirectUrl: 'https://sparebank-super.example/samtykke/ferdig',
      },
    }),
    'creating the consent request',
  );
  const consentId = created.body.id;
  show({
    status: created.status,
    id: consentId,
    consentStatus: created.body.status,
    viewUri: created.body.viewUri,
  });

  step('The person accepts in Altinn (simulator: POST /_sim/consents/{id}/accept)');
  await expectOk(call('POST', `${simulatorUrl}/_sim/consents/${consentId}/accept`), 'accepting');

  step('The bank reads the status (?refresh=true asks Altinn through the queue)');
  const status = await expectOk(
    call('GET', `${gatewayUrl}/v1/consent-requests/${consentId}?refresh=true`, { key: apiKey }),
    'reading the status',
  );
  show({ status: status.body.status, consentedAt: status.body.consentedAt });

  step('The bank gets a consent token');
  const token = await expectOk(
    call('POST', `${gatewayUrl}/v1/consent-requests/${consentId}/token`, { key: apiKey, body: {} }),
    'getting the consent token',
  );
  const claims = claimsOf(token.body.access_token);
  show({
    token_type: token.body.token_type,
    expires_in: token.body.expires_in,
    scope: token.body.scope,
    consumer: claims.consumer,
    supplier: claims.supplier,
    authorization_details: claims.authorization_details,
  });

  step("The bank's event feed for this consent");
  const feed = await expectOk(
    call('GET', `${gatewayUrl}/v1/events?limit=500`, { key: apiKey }),
    'reading events',
  );
  show(
    feed.body.data
      .filter((event) => event.consentRequestId === consentId)
      .map(({ id, type, occurredAt }) => ({ id, type, occurredAt })),
  );
}

main().catch((error) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
