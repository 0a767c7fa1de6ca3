import { type AuditRecord } from '@gw/audit';
import { createBody, PERSON, READ, TENANT_A, TENANT_B, WRITE } from './consent-stack';
import { ADMIN_KEY } from './gateway-test-kit';
import { WebhookStack } from './webhook-stack';

interface AuditRow {
  id: string;
  occurred_at: Date;
  actor: string;
  tenant_id: string | null;
  action: string;
  target: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
}

// Tenant-side actions end to end: each one is in the audit log once, named by the tenant key that acted,
// and the log never holds personal data or a secret.
describe('audit log of tenant-side actions', () => {
  const stack = new WebhookStack();
  const receiver = stack.receiver;
  let tenantA: string;
  let keyA: string;
  let prefixA: string;
  let tenantB: string;
  let keyB: string;
  /** Every secret an answer showed: none may reach the audit log. */
  const secrets: string[] = [];

  beforeAll(async () => {
    await stack.startWebhookStack();
    ({ tenantId: tenantA, key: keyA } = await stack.onboard(TENANT_A, 'Sparebank Super', [WRITE, READ]));
    ({ tenantId: tenantB, key: keyB } = await stack.onboard(TENANT_B, 'Sparebank Annen'));
    secrets.push(keyA, keyB);
    const keys = await stack.request('GET', `/admin/v1/tenants/${tenantA}/api-keys`);
    prefixA = keys.body.data[0].prefix as string;
  });
  afterAll(() => stack.close());

  /** The audit rows of a target, straight from the table. */
  async function rowsOf(target: string): Promise<AuditRow[]> {
    return stack.database.dataSource.query<AuditRow[]>(
      'SELECT * FROM audit_log WHERE target = $1 ORDER BY id',
      [target],
    );
  }

  function tenantRequest(method: string, path: string, key: string, requestId: string, body?: unknown) {
    return stack.request(method, path, { key, body, headers: { 'x-request-id': requestId } });
  }

  describe('recording', () => {
    it('records a consent request created, once, with the key, the request and no party', async () => {
      const created = await stack.request('POST', '/v1/consent-requests', {
        key: keyA,
        body: createBody(),
        headers: { 'x-request-id': 'req-consent-create' },
      });
      expect(created.status).toBe(202);

      const rows = await rowsOf(`consent_request:${created.body.id}`);
      expect(rows).toEqual([
        expect.objectContaining({
          actor: prefixA,
          tenant_id: tenantA,
          action: 'consent_request.created',
          request_id: 'req-consent-create',
          details: { validTo: expect.any(String), resources: ['ttd_inntektsopplysninger'] },
        }),
      ]);
    });

    it('records nothing more when an Idempotency-Key answers the first request again', async () => {
      const body = createBody();
      const first = await stack.request('POST', '/v1/consent-requests', {
        key: keyA,
        body,
        headers: { 'idempotency-key': 'audit-e2e-2' },
      });
      const second = await stack.request('POST', '/v1/consent-requests', {
        key: keyA,
        body,
        headers: { 'idempotency-key': 'audit-e2e-2' },
      });
      expect(second.body.id).toBe(first.body.id);
      expect(await rowsOf(`consent_request:${first.body.id}`)).toHaveLength(1);
    });

    it('records each webhook endpoint change once, with the key, the request and no secret', async () => {
      let status = 500;
      // The receiver tells paths apart by path and query.
      receiver.answer('/audit/hook?token=query-secret-4711', () => ({ status }));
      const url = receiver.url('/audit/hook?token=query-secret-4711');
      const created = await tenantRequest('POST', '/v1/webhook-endpoints', keyA, 'req-wh-create', {
        url,
        eventTypes: ['consent.used'],
      });
      expect(created.status).toBe(201);
      const endpointId = created.body.id as string;
      secrets.push(created.body.secret as string);
      const base = `/v1/webhook-endpoints/${endpointId}`;

      const updated = await tenantRequest('PATCH', base, keyA, 'req-wh-update', {
        eventTypes: ['consent.used', 'consent.revoked'],
      });
      expect(updated.status).toBe(200);
      // The same values again change nothing: not recorded.
      const unchanged = await tenantRequest('PATCH', base, keyA, 'req-wh-noop', {
        eventTypes: ['consent.revoked', 'consent.used'],
      });
      expect(unchanged.status).toBe(200);

      const rotated = await tenantRequest('POST', `${base}/rotate-secret`, keyA, 'req-wh-rotate');
      expect(rotated.status).toBe(200);
      secrets.push(rotated.body.secret as string);

      const since = new Date(Date.now() - 60_000).toISOString();
      const tested = await tenantRequest('POST', `${base}/test`, keyA, 'req-wh-test');
      expect(tested.status).toBe(202);
      const deliveryId = tested.body.id as string;
      await stack.waitForDelivery(keyA, endpointId, deliveryId, 'failed');

      status = 200;
      const retried = await tenantRequest(
        'POST',
        `/v1/webhook-deliveries/${deliveryId}/retry`,
        keyA,
        'req-wh-retry',
      );
      expect(retried.status).toBe(202);
      await stack.waitForDelivery(keyA, endpointId, deliveryId, 'succeeded');

      // A failed delivery, ended by disabling the endpoint, is what a replay brings back.
      status = 500;
      const second = await tenantRequest('POST', `${base}/test`, keyA, 'req-wh-test-2');
      await stack.waitForDelivery(keyA, endpointId, second.body.id as string, 'failed');
      await tenantRequest('PATCH', base, keyA, 'req-wh-disable', { enabled: false });
      await stack.waitForDelivery(keyA, endpointId, second.body.id as string, 'dead');
      await tenantRequest('PATCH', base, keyA, 'req-wh-enable', { enabled: true });
      status = 200;
      const replayed = await tenantRequest('POST', `${base}/replay`, keyA, 'req-wh-replay', { since });
      expect([replayed.status, replayed.body]).toEqual([202, { requeued: 1 }]);
      await stack.waitForDelivery(keyA, endpointId, second.body.id as string, 'succeeded');
      // Nothing left to replay: a replay that changes nothing is not recorded.
      const empty = await tenantRequest('POST', `${base}/replay`, keyA, 'req-wh-replay-none', { since });
      expect([empty.status, empty.body]).toEqual([202, { requeued: 0 }]);

      const deleted = await tenantRequest('DELETE', base, keyA, 'req-wh-delete');
      expect(deleted.status).toBe(204);
      const deletedAgain = await tenantRequest('DELETE', base, keyA, 'req-wh-delete-again');
      expect(deletedAgain.status).toBe(404);

      const endpointRows = await rowsOf(`webhook_endpoint:${endpointId}`);
      const plainUrl = receiver.url('/audit/hook');
      expect(endpointRows.map((row) => [row.action, row.request_id, row.details])).toEqual([
        ['webhook_endpoint.created', 'req-wh-create', { url: plainUrl, eventTypes: ['consent.used'] }],
        [
          'webhook_endpoint.updated',
          'req-wh-update',
          { changed: ['eventTypes'], eventTypes: ['consent.used', 'consent.revoked'] },
        ],
        ['webhook_endpoint.secret_rotated', 'req-wh-rotate', { previousSecretExpiresAt: expect.any(String) }],
        ['webhook_endpoint.test_sent', 'req-wh-test', { deliveryId }],
        ['webhook_endpoint.test_sent', 'req-wh-test-2', { deliveryId: second.body.id }],
        ['webhook_endpoint.updated', 'req-wh-disable', { changed: ['enabled'], enabled: false }],
        // Enabling also ended the failure streak the second test event started.
        [
          'webhook_endpoint.updated',
          'req-wh-enable',
          { changed: ['enabled', 'failingSince'], enabled: true },
        ],
        ['webhook_endpoint.replayed', 'req-wh-replay', { since, requeued: 1 }],
        ['webhook_endpoint.deleted', 'req-wh-delete', { url: plainUrl }],
      ]);
      for (const row of endpointRows) {
        expect([row.actor, row.tenant_id]).toEqual([prefixA, tenantA]);
      }
      expect(await rowsOf(`webhook_delivery:${deliveryId}`)).toEqual([
        expect.objectContaining({
          actor: prefixA,
          tenant_id: tenantA,
          action: 'webhook_delivery.retried',
          request_id: 'req-wh-retry',
          details: { endpointId },
        }),
      ]);
    });

    it('records a key revoked twice once', async () => {
      const issued = await stack.request('POST', `/admin/v1/tenants/${tenantB}/api-keys`, {
        body: { name: 'short-lived' },
      });
      expect(issued.status).toBe(201);
      secrets.push(issued.body.key as string);
      const path = `/admin/v1/tenants/${tenantB}/api-keys/${issued.body.id}`;
      const first = await stack.request('DELETE', path);
      const second = await stack.request('DELETE', path);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(second.body.revokedAt).toBe(first.body.revokedAt);
      const revoked = (await rowsOf(`api_key:${issued.body.id}`)).filter(
        (row) => row.action === 'api_key.revoked',
      );
      expect(revoked).toHaveLength(1);
    });

    it('keeps fødselsnummer, secrets, tokens and query strings out of the whole audit log', async () => {
      // A consent token issued is audited too: the token must not be.
      const created = await stack.request('POST', '/v1/consent-requests', {
        key: keyA,
        body: createBody(),
        headers: { prefer: 'wait=20' },
      });
      expect(created.status).toBe(201);
      await stack.sim.control('POST', `/_sim/consents/${created.body.id}/accept`);
      await stack.request('GET', `/v1/consent-requests/${created.body.id}?refresh=true`, { key: keyA });
      const token = await stack.request('POST', `/v1/consent-requests/${created.body.id}/token`, {
        key: keyA,
      });
      expect(token.status).toBe(200);
      secrets.push(token.body.access_token as string);

      const rows = await stack.database.dataSource.query<AuditRow[]>('SELECT * FROM audit_log');
      const everything = JSON.stringify(rows);
      expect(rows.length).toBeGreaterThan(10);
      expect(everything).not.toContain(PERSON);
      // Ids are UUIDs, whose hex may hold a run of digits: only what is left must have none.
      expect(
        everything.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>'),
      ).not.toMatch(/(?<!\d)\d{11}(?!\d)/);
      expect(everything).not.toContain('whsec_');
      expect(everything).not.toContain('query-secret-4711');
      expect(everything).not.toContain(ADMIN_KEY);
      for (const secret of secrets) {
        expect(everything).not.toContain(secret);
        // Not even the secret part of a key, nor a token's signature.
        expect(everything).not.toContain(secret.slice(-24));
      }
    });
  });

  describe('the audit log API', () => {
    /** The table's rows a filter should select, newest first, as the API shows them. */
    async function expected(where: string, params: unknown[]): Promise<string[]> {
      const rows = await stack.database.dataSource.query<{ id: string }[]>(
        `SELECT id FROM audit_log ${where} ORDER BY id DESC`,
        params,
      );
      return rows.map((row) => row.id);
    }

    async function listAll(query: string): Promise<AuditRecord[]> {
      const seen: AuditRecord[] = [];
      let cursor: string | null = null;
      do {
        const suffix: string = cursor === null ? '' : `&cursor=${cursor}`;
        const page = await stack.request('GET', `/admin/v1/audit-log?limit=2&${query}${suffix}`);
        expect(page.status).toBe(200);
        seen.push(...(page.body.data as AuditRecord[]));
        cursor = page.body.next as string | null;
      } while (cursor !== null);
      return seen;
    }

    async function exportOf(query: string): Promise<{ contentType: string | null; lines: AuditRecord[] }> {
      const answer = await stack.request<unknown>('GET', `/admin/v1/audit-log/export?${query}`);
      expect(answer.status).toBe(200);
      // The kit parses a body that is one JSON document: that is an export of one line.
      const lines =
        answer.body === undefined
          ? []
          : typeof answer.body === 'string'
            ? answer.body
                .split('\n')
                .filter((line) => line !== '')
                .map((line) => JSON.parse(line) as AuditRecord)
            : [answer.body as AuditRecord];
      return { contentType: answer.contentType, lines };
    }

    it.each<[string, () => string, () => [string, unknown[]]]>([
      [
        'an exact action',
        () => 'action=webhook_endpoint.updated',
        () => ['WHERE action = $1', ['webhook_endpoint.updated']],
      ],
      [
        'an action prefix',
        () => 'action=webhook_endpoint.',
        () => ["WHERE action LIKE 'webhook\\_endpoint.%'", []],
      ],
      ['an actor', () => `actor=${prefixA}`, () => ['WHERE actor = $1', [prefixA]]],
      ['a tenant', () => `tenantId=${tenantB}`, () => ['WHERE tenant_id = $1', [tenantB]]],
      [
        'a tenant, an actor and an action prefix together',
        () => `tenantId=${tenantA}&actor=${prefixA}&action=webhook_endpoint.`,
        () => [
          "WHERE tenant_id = $1 AND actor = $2 AND action LIKE 'webhook\\_endpoint.%'",
          [tenantA, prefixA],
        ],
      ],
    ])('filters by %s, paging exactly through the matches', async (_name, query, where) => {
      const [sql, params] = where();
      const ids = await expected(sql, params);
      expect(ids.length).toBeGreaterThan(0);
      expect((await listAll(query())).map((record) => record.id)).toEqual(ids);
    });

    it('filters by a time range: from inclusive, to exclusive', async () => {
      const rows = await stack.database.dataSource.query<AuditRow[]>(
        "SELECT * FROM audit_log WHERE action LIKE 'webhook\\_endpoint.%' ORDER BY id",
      );
      const from = rows[1].occurred_at.toISOString();
      const to = rows[rows.length - 2].occurred_at.toISOString();
      const ids = await expected('WHERE occurred_at >= $1 AND occurred_at < $2', [from, to]);
      expect(ids.length).toBeGreaterThan(0);
      const listed = await listAll(`from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
      expect(listed.map((record) => record.id)).toEqual(ids);
    });

    it('answers 422 naming a bad filter', async () => {
      const bad = await stack.request('GET', '/admin/v1/audit-log?action=webhook_endpoint%25&to=yesterday');
      expect(bad.status).toBe(422);
      expect(bad.body.errors.map((error: { pointer: string }) => error.pointer).sort()).toEqual([
        '/action',
        '/to',
      ]);
      const backwards = await stack.request(
        'GET',
        '/admin/v1/audit-log/export?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z',
      );
      expect([backwards.status, backwards.body.errors?.[0]?.pointer]).toEqual([422, '/to']);
    });

    it('exports what the filters select as NDJSON, oldest first', async () => {
      const all = await exportOf('');
      expect(all.contentType).toContain('application/x-ndjson');
      const count = await stack.database.dataSource.query<{ n: string }[]>(
        'SELECT count(*)::text AS n FROM audit_log',
      );
      expect(all.lines.length).toBe(Number(count[0].n));
      const ids = all.lines.map((record) => Number(record.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));

      const filtered = await exportOf(`tenantId=${tenantA}&action=webhook_endpoint.`);
      const expectedIds = await expected("WHERE tenant_id = $1 AND action LIKE 'webhook\\_endpoint.%'", [
        tenantA,
      ]);
      expect(filtered.lines.map((record) => record.id)).toEqual(expectedIds.reverse());
      expect(filtered.lines[0]).toEqual({
        id: expect.any(String),
        occurredAt: expect.any(String),
        actor: prefixA,
        tenantId: tenantA,
        action: 'webhook_endpoint.created',
        target: expect.stringMatching(/^webhook_endpoint:/),
        requestId: 'req-wh-create',
        details: expect.any(Object),
      });

      const none = await exportOf('actor=nobody');
      expect(none.lines).toEqual([]);
    });
  });
});
