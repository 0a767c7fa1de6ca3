import { eventData } from '@gw/events';
import { planDeliveries } from './fan-out';
import { endpointWants, webhookPayload } from './webhook-payload';

const event = {
  id: '42',
  type: 'consent.accepted',
  occurredAt: '2026-03-01T12:00:00.000Z',
  consentRequestId: '0195f1a0-0000-7000-8000-000000000001',
  data: {
    status: 'accepted',
    from: 'urn:altinn:person:identifier-no:03867199348',
    upstream: { secret: 'x' },
  },
};

describe('webhookPayload', () => {
  it("carries the event's type, id, time and its public data", () => {
    expect(webhookPayload(event, '313876144')).toEqual({
      type: 'consent.accepted',
      id: '42',
      occurredAt: '2026-03-01T12:00:00.000Z',
      data: { consentRequestId: event.consentRequestId, status: 'accepted', tenantOrg: '313876144' },
    });
  });

  it('has the data the feed shows for the same event', () => {
    expect(webhookPayload(event, '313876144').data).toEqual(eventData(event, '313876144'));
  });

  it('never copies a fødselsnummer from the event data', () => {
    expect(JSON.stringify(webhookPayload(event, '313876144'))).not.toContain('03867199348');
  });

  it('names the endpoint of webhook_endpoint.disabled and why', () => {
    const disabled = {
      ...event,
      type: 'webhook_endpoint.disabled',
      consentRequestId: null,
      data: { endpointId: 'e1', status: 'disabled', reason: 'gone' },
    };
    expect(webhookPayload(disabled, '313876144').data).toEqual({
      consentRequestId: null,
      status: 'disabled',
      tenantOrg: '313876144',
      endpointId: 'e1',
      reason: 'gone',
    });
  });
});

describe('endpointWants', () => {
  it.each([
    [[], 'consent.accepted', true],
    [[], 'consent.pending', false],
    [['consent.accepted'], 'consent.accepted', true],
    [['consent.accepted'], 'consent.rejected', false],
    [[], 'webhook.test', false],
  ])('%j wants %s: %s', (types, type, expected) => {
    expect(endpointWants(types, type)).toBe(expected);
  });
});

describe('planDeliveries', () => {
  let counter = 0;
  const newId = () => `d${(counter += 1)}`;
  const events = [
    { ...event, tenantId: 't1' },
    { ...event, id: '43', type: 'consent.pending', tenantId: 't1' },
    { ...event, id: '44', tenantId: 't2' },
    { ...event, id: '45', tenantId: 't3' },
  ];
  const endpoints = [
    { id: 'e1', tenantId: 't1', eventTypes: [] },
    { id: 'e2', tenantId: 't1', eventTypes: ['consent.rejected'] },
    { id: 'e3', tenantId: 't2', eventTypes: ['consent.accepted'] },
    { id: 'e4', tenantId: 't3', eventTypes: [] },
  ];
  const orgs = new Map([
    ['t1', '313876144'],
    ['t2', '974760673'],
  ]);

  it("fans each event out to its own tenant's endpoints that want it", () => {
    const planned = planDeliveries(events, endpoints, orgs, newId);
    expect(planned.map((item) => [item.eventId, item.endpointId, item.payload.data.tenantOrg])).toEqual([
      ['42', 'e1', '313876144'],
      ['44', 'e3', '974760673'],
    ]);
  });
});
