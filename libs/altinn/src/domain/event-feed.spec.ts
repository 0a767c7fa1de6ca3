import { continuationTokenOf, feedQueryString, parseFeedPage } from './event-feed';

const ID = '0198a6e4-4b53-7c3a-9a1e-1f2d3c4b5a69';

describe('feedQueryString', () => {
  it.each([
    ['no filters', {}, ''],
    ['a cursor', { continuationToken: 'AbC+/==' }, 'continuationToken=AbC%2B%2F%3D%3D'],
    [
      'dates in UTC',
      {
        createdAfter: new Date('2026-01-01T01:00:00+01:00'),
        createdBefore: new Date('2026-02-01T00:00:00Z'),
      },
      'createdAfter=2026-01-01T00%3A00%3A00.000Z&createdBefore=2026-02-01T00%3A00%3A00.000Z',
    ],
    ['one event type', { eventType: 'accepted' as const }, 'eventType=accepted'],
    [
      'several event types',
      { eventType: ['rejected', 'revoked'] as const },
      'eventType=rejected&eventType=revoked',
    ],
    ['a consent', { consentRequestId: ID }, `consentRequestId=${ID}`],
  ])('writes %s', (_label, query, expected) => {
    expect(feedQueryString(query)).toBe(expected);
  });
});

describe('continuationTokenOf', () => {
  it.each([
    [
      'an absolute link',
      'https://platform.tt02.altinn.no/x/events?continuationToken=AbC%2B%2F%3D%3D&eventType=accepted',
      'AbC+/==',
    ],
    ['a relative link', '/x/events?eventType=accepted&continuationToken=t1', 't1'],
    ['another case', '/x/events?ContinuationToken=t2', 't2'],
    ['no token', '/x/events?eventType=accepted', undefined],
    ['an empty token', '/x/events?continuationToken=', undefined],
  ])('reads %s', (_label, next, expected) => {
    expect(continuationTokenOf(next)).toBe(expected);
  });
});

describe('parseFeedPage', () => {
  const item = { consentRequestId: ID, eventType: 'Accepted', changedDate: '2026-01-15T10:00:00.5+00:00' };

  it('reads events and the next cursor', () => {
    expect(
      parseFeedPage({ links: { next: 'https://a.example/events?continuationToken=t1' }, data: [item] }),
    ).toEqual({
      events: [
        { consentRequestId: ID, eventType: 'accepted', changedDate: new Date('2026-01-15T10:00:00.500Z') },
      ],
      nextContinuationToken: 't1',
    });
  });

  it.each([
    ['a null next', { links: { next: null }, data: [] }],
    ['no links', { data: [] }],
    ['no next', { links: {}, data: [] }],
  ])('reads %s as the last page', (_label, body) => {
    expect(parseFeedPage(body)).toEqual({ events: [], nextContinuationToken: null });
  });

  it('reads event types in any case, unknown ones as unknown, and ignores extra members', () => {
    const page = parseFeedPage({
      Links: { Next: null },
      Data: [
        { ...item, eventType: 'REVOKED', extra: 1 },
        { ...item, eventType: 'created' },
        { ...item, eventType: 'Archived' },
      ],
    });
    expect(page?.events.map((event) => event.eventType)).toEqual(['revoked', 'created', 'unknown']);
  });

  it.each([
    ['no data', { links: { next: null } }],
    ['an item without a date', { data: [{ consentRequestId: ID, eventType: 'Accepted' }] }],
    ['a next link without a token', { links: { next: '/x/events?eventType=accepted' }, data: [] }],
    ['an HTML page', undefined],
  ])('refuses %s', (_label, body) => {
    expect(parseFeedPage(body)).toBeUndefined();
  });
});
