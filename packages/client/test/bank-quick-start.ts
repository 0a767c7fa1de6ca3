// The README's "Bank quick start", type-checked by `npm run lint`: keep the two in step.
import { createAdminClient, createTenantClient, type WebhookEvent } from '@samtykke-gateway/client';
import { Webhook } from 'standardwebhooks';

export async function operator(adminKey: string) {
  const admin = createAdminClient({ baseUrl: 'http://127.0.0.1:3002', adminKey });
  const { data: found } = await admin.GET('/admin/v1/tenants', {
    params: { query: { orgNumber: '313876144' } },
  });
  const { data: issued, error } = await admin.POST('/admin/v1/tenants/{id}/api-keys', {
    params: { path: { id: found!.data[0].id } },
    body: { name: 'quick start' },
  });
  if (error) throw new Error(`${error.status} ${error.code}: ${error.detail}`);
  return issued.key;
}

export async function bankFlow(apiKey: string) {
  const bank = createTenantClient({ baseUrl: 'http://127.0.0.1:3000', apiKey });
  const { data: consent, error } = await bank.POST('/v1/consent-requests', {
    params: { header: { 'Idempotency-Key': 'loan-application-42', Prefer: 'wait=10' } },
    body: {
      from: 'urn:altinn:person:identifier-no:03867199348',
      validTo: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      consentRights: [
        {
          action: ['consent'],
          resource: [{ type: 'urn:altinn:resource', value: 'ttd_inntektsopplysninger' }],
          metadata: { INNTEKTSAAR: '2025' },
        },
      ],
      requestMessage: { nb: 'Vi ber om samtykke til å hente inntektsopplysninger.' },
      redirectUrl: 'https://bank.example/consent/return?ref=42',
    },
  });
  if (error) throw new Error(`${error.status} ${error.code}: ${error.detail}`);
  console.log(`${consent.status}: send the person to ${consent.viewUri}`);
  const { data: status } = await bank.GET('/v1/consent-requests/{id}', {
    params: { path: { id: consent.id }, query: { refresh: 'true' } },
  });
  if (status?.status === 'accepted') {
    const { data: token } = await bank.POST('/v1/consent-requests/{id}/token', {
      params: { path: { id: consent.id } },
    });
    console.log(`a ${token?.token_type} token for ${token?.expires_in} s`);
  }
  const { data: feed } = await bank.GET('/v1/events', { params: { query: { after: '0', limit: 100 } } });
  for (const event of feed?.data ?? []) console.log(event.id, event.type, event.data.status);

  const { data: endpoint } = await bank.POST('/v1/webhook-endpoints', {
    body: {
      url: 'https://bank.example/hooks/samtykke',
      eventTypes: ['consent.accepted', 'consent.rejected'],
    },
  });
  return endpoint?.secret;
}

export function receive(secret: string, rawBody: string, headers: Record<string, string>): WebhookEvent {
  const event = new Webhook(secret).verify(rawBody, headers) as WebhookEvent;
  if (event.type === 'consent.accepted') console.log(`consent ${event.data.consentRequestId} accepted`);
  return event;
}
