import { z } from 'zod';

/** `GET /v1/events`: `after` is an event id from this feed (0 for the start), `limit` at most 500. */
export const eventsQuerySchema = z
  .object({
    after: z
      .string()
      .max(18, { error: 'must be an event id from this feed', abort: true })
      .regex(/^\d{1,18}$/, 'must be an event id from this feed')
      .default('0'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
