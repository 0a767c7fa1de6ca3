import { z } from 'zod';
import { type AltinnEventType, eventType } from './consent-details';
import { caseInsensitiveObject, dateTime } from './tolerant-read';

/**
 * docs/upstream-contract.md §2: the only values the feed's `eventType` filter takes (lower-case: other case
 * is a 500).
 */
export const ALTINN_FEED_FILTER_EVENT_TYPES = ['rejected', 'accepted', 'revoked', 'deleted', 'used'] as const;
export type AltinnFeedFilterEventType = (typeof ALTINN_FEED_FILTER_EVENT_TYPES)[number];

export interface AltinnFeedQuery {
  /** From the previous page's `nextContinuationToken`; opaque. */
  continuationToken?: string;
  /** Events created at or after this. */
  createdAfter?: Date;
  /** Events created before this. */
  createdBefore?: Date;
  eventType?: AltinnFeedFilterEventType | readonly AltinnFeedFilterEventType[];
  consentRequestId?: string;
}

export interface AltinnFeedEvent {
  consentRequestId: string;
  eventType: AltinnEventType;
  changedDate: Date;
}

export interface AltinnFeedPage {
  /** Oldest first. */
  events: AltinnFeedEvent[];
  /**
   * The cursor of the next page, from `links.next`; null on the last page. Altinn links a next page only
   * when this one is full, so a poller keeps the token it last used and asks with it again next time.
   */
  nextContinuationToken: string | null;
}

/** The query string Altinn gets: filters as given, dates as ISO 8601 UTC, event types lower-case. */
export function feedQueryString(query: AltinnFeedQuery): string {
  const params = new URLSearchParams();
  if (query.continuationToken !== undefined) params.set('continuationToken', query.continuationToken);
  if (query.createdAfter !== undefined) params.set('createdAfter', query.createdAfter.toISOString());
  if (query.createdBefore !== undefined) params.set('createdBefore', query.createdBefore.toISOString());
  const eventTypes: readonly string[] =
    query.eventType === undefined
      ? []
      : typeof query.eventType === 'string'
        ? [query.eventType]
        : query.eventType;
  eventTypes.forEach((type) => params.append('eventType', type.toLowerCase()));
  if (query.consentRequestId !== undefined) params.set('consentRequestId', query.consentRequestId);
  return params.toString();
}

const feedSchema = caseInsensitiveObject({
  links: caseInsensitiveObject({ next: z.string().nullish() }).nullish(),
  data: z.array(caseInsensitiveObject({ consentRequestId: z.string(), eventType, changedDate: dateTime })),
});

/** The continuation token in a `next` link (absolute or relative); undefined when it has none. */
export function continuationTokenOf(next: string): string | undefined {
  let url: URL;
  try {
    url = new URL(next, 'http://relative.invalid');
  } catch {
    return undefined;
  }
  for (const [name, value] of url.searchParams) {
    if (name.toLowerCase() === 'continuationtoken' && value !== '') return value;
  }
  return undefined;
}

/** A feed page from its body; undefined when the body is not one (or links a next page without a token). */
export function parseFeedPage(body: unknown): AltinnFeedPage | undefined {
  const parsed = feedSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const next = parsed.data.links?.next;
  if (next === undefined || next === null || next === '') {
    return { events: parsed.data.data, nextContinuationToken: null };
  }
  const token = continuationTokenOf(next);
  return token === undefined ? undefined : { events: parsed.data.data, nextContinuationToken: token };
}
