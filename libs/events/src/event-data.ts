import { z } from 'zod';

/**
 * The `data` of an event, the same object in the feed (`GET /v1/events`) and in a webhook's body
 * (docs/events.md#event-data). Built by picking named fields from what the outbox stored: the stored
 * data may grow (upstream details) and is never handed out whole, and it never holds a fødselsnummer.
 */
export const eventDataSchema = z.object({
  consentRequestId: z.uuid().nullable().describe('the consent request the event is about; null for others'),
  status: z
    .string()
    .nullable()
    .describe("the consent request's status after the event (consent.*); disabled (webhook_endpoint.*)"),
  tenantOrg: z.string().describe('organisation number of the tenant the event belongs to'),
  viewUri: z
    .string()
    .optional()
    .describe('consent.created: where the person reads and answers the request at Altinn'),
  reason: z
    .string()
    .optional()
    .describe('consent.failed: the problem code; webhook_endpoint.disabled: gone or failing'),
  scope: z.string().optional().describe('delegation.*: the Maskinporten scope that was checked'),
  error: z
    .object({ code: z.string().describe('e.g. MP-251'), message: z.string() })
    .optional()
    .describe("delegation.failed: Maskinporten's refusal"),
  endpointId: z.string().optional().describe('webhook_endpoint.disabled: the endpoint that was disabled'),
});

/** The `data` of an event in the feed and in webhooks. */
export type EventData = z.infer<typeof eventDataSchema>;

/** An event as the outbox stores it: `data` is whatever its writer recorded. */
export interface OutboxEvent {
  /** The event's position: its id in the feed and in webhooks. */
  id: string;
  type: string;
  occurredAt: string;
  consentRequestId: string | null;
  data: Record<string, unknown>;
}

/** The event's public `data`, from what the outbox stored and the tenant's organisation number. */
export function eventData(
  event: Pick<OutboxEvent, 'type' | 'consentRequestId' | 'data'>,
  tenantOrg: string,
): EventData {
  const stored = event.data;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const status = text(stored.status) ?? null;
  const viewUri = event.type.startsWith('consent.') ? text(stored.viewUri) : undefined;
  const reason = text(stored.reason);
  const scope = text(stored.scope);
  const error = refusalOf(stored.error);
  const endpointId = event.type === 'webhook_endpoint.disabled' ? text(stored.endpointId) : undefined;
  return {
    consentRequestId: event.consentRequestId,
    status,
    tenantOrg,
    ...(viewUri === undefined ? {} : { viewUri }),
    ...(reason === undefined ? {} : { reason }),
    ...(scope === undefined ? {} : { scope }),
    ...(error === undefined ? {} : { error }),
    ...(endpointId === undefined ? {} : { endpointId }),
  };
}

function refusalOf(value: unknown): EventData['error'] {
  if (typeof value !== 'object' || value === null) return undefined;
  const { code, message } = value as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string' ? { code, message } : undefined;
}
