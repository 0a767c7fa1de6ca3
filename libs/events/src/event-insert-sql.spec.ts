import { insertEventsSql } from './event-insert-sql';

describe('insertEventsSql', () => {
  it("writes one consent event per row of the source, with the consent's id", () => {
    expect(
      insertEventsSql('inserted', {
        tenantId: 'tenant_id',
        type: "'consent.pending'",
        consentRequestId: 'id',
        data: "jsonb_build_object('status', status)",
      }),
    ).toBe(
      'INSERT INTO events (tenant_id, type, consent_request_id, data)\n' +
        "SELECT tenant_id, 'consent.pending', id, jsonb_build_object('status', status) FROM inserted",
    );
  });

  it("skips a consent's repeated event type when asked", () => {
    expect(
      insertEventsSql(
        'changed',
        { tenantId: 'tenant_id', type: '$11', consentRequestId: 'id', data: '$12::jsonb' },
        { oncePerConsent: true },
      ),
    ).toBe(
      'INSERT INTO events (tenant_id, type, consent_request_id, data)\n' +
        'SELECT tenant_id, $11, id, $12::jsonb FROM changed\n' +
        'ON CONFLICT (consent_request_id, type) WHERE consent_request_id IS NOT NULL DO NOTHING',
    );
  });

  it("leaves a tenant's event without a consent, written only under the condition", () => {
    expect(
      insertEventsSql(
        'checked',
        { tenantId: 'tenant_id', type: '$5::text', data: "jsonb_build_object('scope', scope)" },
        { where: '$5::text IS NOT NULL' },
      ),
    ).toBe(
      'INSERT INTO events (tenant_id, type, data)\n' +
        "SELECT tenant_id, $5::text, jsonb_build_object('scope', scope) FROM checked WHERE $5::text IS NOT NULL",
    );
  });
});
