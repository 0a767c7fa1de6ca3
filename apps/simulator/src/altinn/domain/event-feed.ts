import { type SimConsentEvent, uuidV7Millis } from '../../core/consent-store';
import { isUuid, type ModelErrors, parseDateTime } from './create-request-binding';
import { formatDateTimeOffset } from './consent-details';
import { type ValidationError, validationError, VALIDATION_ERRORS } from './problems';

// docs/upstream-contract.md §2 `GET …/consentrequests/events`: the caller's events (`to` = caller), oldest
// first by event id (UUIDv7), only events older than the lag, 100 a page, an opaque `continuationToken`.

export const FEED_PAGE_SIZE = 100;

/** The values Altinn's feed validates `eventType` against (case-insensitively). `created` is not one. */
export const FEED_EVENT_TYPES = ['rejected', 'accepted', 'revoked', 'deleted', 'used'] as const;

const QUERY_NAMES = [
  'continuationToken',
  'createdAfter',
  'createdBefore',
  'eventType',
  'consentRequestId',
] as const;
export type FeedQueryName = (typeof QUERY_NAMES)[number];

export type RawQuery = Record<string, string | string[] | undefined>;

export interface FeedQuery {
  /** Only events with a greater id (decoded continuation token). */
  continueFrom?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  /** As given: Altinn matches them against its lower-case database labels. */
  eventTypes?: string[];
  consentRequestId?: string;
}

export type FeedQueryParse =
  | { kind: 'ok'; query: FeedQuery; given: ReadonlySet<FeedQueryName> }
  /** Model binding failed (a value of the wrong form): ASP.NET's 400 with an `errors` map, before the action. */
  | { kind: 'unbindable'; errors: ModelErrors }
  /** The feed's own validation failed. */
  | { kind: 'invalid'; errors: ValidationError[] }
  /**
   * Unconfirmed, inferred from Altinn's source: `eventType` passes validation case-insensitively but is then
   * cast to the database enum, whose labels are lower-case; `Accepted` fails that cast, a 500.
   */
  | { kind: 'event_type_cast_failure' };

/** How Altinn's feed names a query parameter in a validation error (ConsentController, enterprise API). */
function queryPath(name: FeedQueryName): string {
  return `$QUERY/${name}`;
}

/**
 * Model binding of the query (names case-insensitive, as ASP.NET binds them), then the feed's own
 * validation: createdAfter < createdBefore, known event types, a well-formed token.
 */
export function parseFeedQuery(raw: RawQuery): FeedQueryParse {
  const values = new Map<FeedQueryName, string[]>();
  for (const [key, value] of Object.entries(raw)) {
    const name = QUERY_NAMES.find((candidate) => candidate.toLowerCase() === key.toLowerCase());
    if (name === undefined || value === undefined) continue;
    values.set(name, [...(values.get(name) ?? []), ...(Array.isArray(value) ? value : [value])]);
  }

  const bindingErrors: ModelErrors = {};
  const scalar = (name: FeedQueryName): string | undefined => {
    const given = (values.get(name) ?? []).filter((value) => value !== '');
    if (given.length > 1) {
      // ASP.NET would take the first; a repeated scalar is a client bug, so the simulator refuses it.
      bindingErrors[name] = ['Given more than once.'];
      return undefined;
    }
    return given[0];
  };
  const date = (name: 'createdAfter' | 'createdBefore'): Date | undefined => {
    const value = scalar(name);
    if (value === undefined) return undefined;
    // DateTimeOffset's converter reads a value without offset as local time, which for Altinn is UTC.
    const parsed = parseDateTime(value);
    if (!parsed) bindingErrors[name] = [`The value '${value}' is not valid for ${name}.`];
    return parsed;
  };

  const createdAfter = date('createdAfter');
  const createdBefore = date('createdBefore');
  const consentRequestId = scalar('consentRequestId');
  if (consentRequestId !== undefined && !isUuid(consentRequestId)) {
    bindingErrors.consentRequestId = [`The value '${consentRequestId}' is not valid for consentRequestId.`];
  }
  const token = scalar('continuationToken');
  const eventTypes = values.get('eventType');
  if (Object.keys(bindingErrors).length > 0) return { kind: 'unbindable', errors: bindingErrors };

  const errors: ValidationError[] = [];
  if (createdAfter && createdBefore && createdAfter.getTime() >= createdBefore.getTime()) {
    errors.push(validationError(VALIDATION_ERRORS.invalidDateRange, queryPath('createdAfter')));
  }
  if (eventTypes?.some((type) => !(FEED_EVENT_TYPES as readonly string[]).includes(type.toLowerCase()))) {
    errors.push(validationError(VALIDATION_ERRORS.invalidEventType, queryPath('eventType')));
  }
  const continueFrom = token === undefined ? undefined : decodeContinuationToken(token);
  if (token !== undefined && continueFrom === undefined) {
    errors.push(validationError(VALIDATION_ERRORS.invalidContinuationToken, queryPath('continuationToken')));
  }
  if (errors.length > 0) return { kind: 'invalid', errors };
  if (eventTypes?.some((type) => type !== type.toLowerCase())) return { kind: 'event_type_cast_failure' };

  return {
    kind: 'ok',
    query: {
      continueFrom,
      createdAfter,
      createdBefore,
      eventTypes,
      consentRequestId: consentRequestId?.toLowerCase(),
    },
    given: new Set(
      [...values.keys()].filter((name) => (values.get(name) ?? []).some((value) => value !== '')),
    ),
  };
}

/** .NET `Guid.ToByteArray()` order: the first three fields little-endian (the swap is its own inverse). */
const DOTNET_GUID_ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];

function dotnetGuidOrder(bytes: Buffer): Buffer {
  return Buffer.from(DOTNET_GUID_ORDER.map((index) => bytes[index]));
}

/** Altinn's token: standard base64 of the last event id's bytes (`Convert.ToBase64String(guid.ToByteArray())`). */
export function encodeContinuationToken(eventId: string): string {
  return dotnetGuidOrder(Buffer.from(eventId.replace(/-/g, ''), 'hex')).toString('base64');
}

/** The event id in a token; undefined unless it is the canonical base64 of exactly 16 bytes. */
export function decodeContinuationToken(token: string): string | undefined {
  if (!/^[A-Za-z0-9+/]{21}[AQgw]==$/.test(token)) return undefined;
  const hex = dotnetGuidOrder(Buffer.from(token, 'base64')).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Index of the first event whose id is greater than `eventId` (events are in id order). */
function firstAfter(events: readonly SimConsentEvent[], eventId: string): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (events[middle].consentEventID <= eventId) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * One page of the feed. `visibleUntilMs` is now − lag: an event shows once its id's time is not after it.
 * Ids only grow (monotonic UUIDv7), so an event that is not yet visible sorts after every visible one, and
 * a client that follows the cursor sees each event exactly once however events keep arriving.
 */
export function feedPage(
  events: readonly SimConsentEvent[],
  query: FeedQuery,
  visibleUntilMs: number,
  pageSize = FEED_PAGE_SIZE,
): SimConsentEvent[] {
  const page: SimConsentEvent[] = [];
  const start = query.continueFrom === undefined ? 0 : firstAfter(events, query.continueFrom);
  for (let index = start; index < events.length && page.length < pageSize; index += 1) {
    const event = events[index];
    if (uuidV7Millis(event.consentEventID) > visibleUntilMs) break;
    if (query.consentRequestId !== undefined && event.consentRequestID !== query.consentRequestId) continue;
    if (query.createdAfter && event.created.getTime() < query.createdAfter.getTime()) continue;
    if (query.createdBefore && event.created.getTime() >= query.createdBefore.getTime()) continue;
    if (query.eventTypes && !query.eventTypes.includes(event.eventType.toLowerCase())) continue;
    page.push(event);
  }
  return page;
}

/** A feed item: Altinn writes the event type as the enum's name (PascalCase). */
export function renderFeedItem(event: SimConsentEvent) {
  return {
    consentRequestId: event.consentRequestID,
    eventType: event.eventType,
    changedDate: formatDateTimeOffset(event.created),
  };
}

/** .NET's round-trip ("O") format of a UTC DateTime, as Altinn puts the filters into `next`. */
function roundTrip(date: Date): string {
  return `${date.toISOString().slice(0, -1)}0000Z`;
}

/**
 * The query of `links.next`: present only when the page is full (so it may lead to an empty page), carrying
 * the new token and the filters the request gave.
 */
export function nextPageQuery(
  page: readonly SimConsentEvent[],
  parsed: { query: FeedQuery; given: ReadonlySet<FeedQueryName> },
  pageSize = FEED_PAGE_SIZE,
): string | null {
  if (page.length < pageSize) return null;
  const params = new URLSearchParams({
    continuationToken: encodeContinuationToken(page[page.length - 1].consentEventID),
  });
  const { query, given } = parsed;
  if (given.has('consentRequestId') && query.consentRequestId)
    params.append('consentRequestId', query.consentRequestId);
  if (given.has('createdAfter') && query.createdAfter)
    params.append('createdAfter', roundTrip(query.createdAfter));
  if (given.has('createdBefore') && query.createdBefore)
    params.append('createdBefore', roundTrip(query.createdBefore));
  query.eventTypes?.forEach((type) => params.append('eventType', type));
  return params.toString();
}
