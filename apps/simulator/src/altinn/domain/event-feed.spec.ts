import { type SimConsentEvent, UuidV7Generator, uuidV7Millis } from '../../core/consent-store';
import {
  decodeContinuationToken,
  encodeContinuationToken,
  type FeedQuery,
  feedPage,
  nextPageQuery,
  parseFeedQuery,
} from './event-feed';

const T0 = Date.parse('2026-01-15T10:00:00Z');
const CONSENT_A = '0195f0e4-1c2b-7d3e-8f40-00000000000a';
const CONSENT_B = '0195f0e4-1c2b-7d3e-8f40-00000000000b';

function eventsAt(specs: [number, SimConsentEvent['eventType'], string][]): SimConsentEvent[] {
  const ids = new UuidV7Generator();
  return specs.map(([seconds, eventType, consentRequestID]) => ({
    consentEventID: ids.next(T0 + seconds * 1000),
    created: new Date(T0 + seconds * 1000),
    performedBy: 'x',
    eventType,
    consentRequestID,
  }));
}

const events = eventsAt([
  [0, 'Created', CONSENT_A],
  [1, 'Created', CONSENT_B],
  [2, 'Accepted', CONSENT_A],
  [3, 'Rejected', CONSENT_B],
  [4, 'Revoked', CONSENT_A],
]);
const ALL = T0 + 10_000;

function types(query: FeedQuery, visibleUntil = ALL, pageSize = 100) {
  return feedPage(events, query, visibleUntil, pageSize).map((event) => event.eventType);
}

describe('monotonic UUIDv7 event ids', () => {
  it('keep their order within a millisecond and when the clock goes back', () => {
    const ids = new UuidV7Generator();
    const generated = [T0, T0, T0, T0 - 60_000, T0 + 1].map((ms) => ids.next(ms));
    expect([...generated].sort()).toEqual(generated);
    expect(new Set(generated).size).toBe(generated.length);
    expect(generated[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidV7Millis(generated[0])).toBe(T0);
  });
});

describe('the consent event feed', () => {
  it('lists every event oldest first', () => {
    expect(types({})).toEqual(['Created', 'Created', 'Accepted', 'Rejected', 'Revoked']);
  });

  it.each([
    ['nothing younger than the lag', T0 + 2_000, ['Created', 'Created', 'Accepted']],
    ['nothing when all are younger', T0 - 1, []],
  ])('shows %s', (_case, visibleUntil, expected) => {
    expect(types({}, visibleUntil)).toEqual(expected);
  });

  it.each([
    ['consentRequestId', { consentRequestId: CONSENT_A }, ['Created', 'Accepted', 'Revoked']],
    ['createdAfter (inclusive)', { createdAfter: new Date(T0 + 2_000) }, ['Accepted', 'Rejected', 'Revoked']],
    ['createdBefore (exclusive)', { createdBefore: new Date(T0 + 2_000) }, ['Created', 'Created']],
    ['eventType', { eventTypes: ['accepted', 'revoked'] }, ['Accepted', 'Revoked']],
    ['a cursor', { continueFrom: events[2].consentEventID }, ['Rejected', 'Revoked']],
  ])('filters by %s', (_case, query, expected) => {
    expect(types(query)).toEqual(expected);
  });

  it('pages with the last id as cursor and links a next page only when the page is full', () => {
    const first = feedPage(events, {}, ALL, 2);
    const parsed = parseFeedQuery({ eventType: ['accepted', 'rejected', 'revoked', 'deleted', 'used'] });
    if (parsed.kind !== 'ok') throw new Error('unexpected');
    const next = new URLSearchParams(nextPageQuery(first, parsed, 2) ?? '');
    expect(decodeContinuationToken(next.get('continuationToken') ?? '')).toBe(first[1].consentEventID);
    expect(next.getAll('eventType')).toHaveLength(5);
    expect(nextPageQuery(feedPage(events, {}, ALL, 6), parsed, 6)).toBeNull();
  });

  it('writes the token as .NET does: standard base64 of Guid.ToByteArray()', () => {
    expect(encodeContinuationToken('00112233-4455-6677-8899-aabbccddeeff')).toBe(
      Buffer.from('33221100554477668899aabbccddeeff', 'hex').toString('base64'),
    );
    expect(decodeContinuationToken(encodeContinuationToken(events[3].consentEventID))).toBe(
      events[3].consentEventID,
    );
  });

  it.each(['', 'abc', 'M3IiEVVEd2aImaq7zN3u/w', 'M3IiEVVEd2aImaq7zN3u/w= =', 'M3IiEVVEd2aImaq7zN3u_w=='])(
    'refuses the token %j',
    (token) => {
      expect(decodeContinuationToken(token)).toBeUndefined();
    },
  );
});

describe('feed query', () => {
  function outcome(raw: Record<string, string | string[]>) {
    const parsed = parseFeedQuery(raw);
    return parsed.kind === 'ok' || parsed.kind === 'event_type_cast_failure'
      ? parsed.kind
      : parsed.kind === 'unbindable'
        ? [parsed.kind, Object.keys(parsed.errors)]
        : [parsed.kind, parsed.errors.map((error) => `${error.descriptor.code} ${error.paths.join()}`)];
  }

  it.each([
    ['no filter', {}, 'ok'],
    ['case-insensitive names', { EventType: 'accepted', CONSENTREQUESTID: CONSENT_A }, 'ok'],
    ['repeated event types', { eventType: ['accepted', 'revoked'] }, 'ok'],
    ['an empty token', { continuationToken: '' }, 'ok'],
    [
      'a mixed-case event type (fails the database cast)',
      { eventType: 'Accepted' },
      'event_type_cast_failure',
    ],
    ['a date without offset (read as UTC)', { createdAfter: '2026-01-15T10:00:00' }, 'ok'],
    ['a date that is no date', { createdAfter: 'yesterday' }, ['unbindable', ['createdAfter']]],
    ['a consentRequestId that is no UUID', { consentRequestId: 'x' }, ['unbindable', ['consentRequestId']]],
    [
      'a repeated createdBefore',
      { createdBefore: ['2026-01-15T10:00:00Z', '2026-01-16T10:00:00Z'] },
      ['unbindable', ['createdBefore']],
    ],
    [
      'createdAfter = createdBefore',
      { createdAfter: '2026-01-15T10:00:00Z', createdBefore: '2026-01-15T10:00:00Z' },
      ['invalid', ['AM.VLD-00051 $QUERY/createdAfter']],
    ],
    ['the event type created', { eventType: 'created' }, ['invalid', ['AM.VLD-00052 $QUERY/eventType']]],
    [
      'the event type expired',
      { eventType: ['accepted', 'expired'] },
      ['invalid', ['AM.VLD-00052 $QUERY/eventType']],
    ],
    [
      'a malformed token',
      { continuationToken: 'not-a-token' },
      ['invalid', ['AM.VLD-00053 $QUERY/continuationToken']],
    ],
  ])('judges %s', (_case, raw, expected) => {
    expect(outcome(raw)).toEqual(expected);
  });
});
