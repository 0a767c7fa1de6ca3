import { randomUUID } from 'node:crypto';
import { type IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Fastify `genReqId`: keeps a caller's or proxy's `X-Request-Id` when it is a plain token (so a
 * request can be followed across hops), otherwise a fresh UUID. Never trusted for anything but logs.
 */
export function requestIdFor(request: IncomingMessage): string {
  const header = request.headers[REQUEST_ID_HEADER];
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && /^[A-Za-z0-9._:-]{8,128}$/.test(value) ? value : randomUUID();
}
