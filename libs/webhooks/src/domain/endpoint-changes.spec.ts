import { endpointChanges } from './endpoint-changes';

const since = new Date('2025-06-01T00:00:00Z');
const endpoint = {
  url: 'https://hooks.bank.example/a',
  eventTypes: ['consent.accepted', 'consent.revoked'],
  enabled: true,
  failingSince: since,
};

describe('endpointChanges', () => {
  it.each([
    ['url', { url: 'https://hooks.bank.example/b' }],
    ['eventTypes', { eventTypes: ['consent.accepted'] }],
    ['enabled', { enabled: false }],
    ['failingSince', { failingSince: null }],
  ])('names %s when it differs', (field, patch) => {
    expect(endpointChanges(endpoint, { ...endpoint, ...patch })).toEqual([field]);
  });

  it('names nothing when the values are the same, event types in another order included', () => {
    expect(
      endpointChanges(endpoint, {
        ...endpoint,
        eventTypes: ['consent.revoked', 'consent.accepted'],
        failingSince: new Date(since.getTime()),
      }),
    ).toEqual([]);
  });

  it('names every field that differs', () => {
    expect(
      endpointChanges(endpoint, {
        url: 'https://x.example/',
        eventTypes: [],
        enabled: false,
        failingSince: null,
      }),
    ).toEqual(['url', 'eventTypes', 'enabled', 'failingSince']);
  });
});
