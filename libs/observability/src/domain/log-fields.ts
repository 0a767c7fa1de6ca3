import { format } from 'node:util';
import { REDACTED, type RedactionOptions, redactText, redactValue } from '@gw/redaction';

/** What the request serializer reads of a request (Node's IncomingMessage has it). */
export interface LoggedRequest {
  method?: string;
  /** Set by middleware mounted under a path (Nest's), whose `url` is then relative to it. */
  originalUrl?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string };
}

/** Headers worth a line; any other header (cookies, idempotency keys, forwarded addresses) is left out. */
const LOGGED_HEADERS = ['content-type', 'content-length', 'user-agent'] as const;

/** Log fields that have a serializer of their own writing only known, redacted fields. */
export const SERIALIZED_FIELDS: ReadonlySet<string> = new Set(['req', 'res', 'err']);

function isRequest(value: unknown): value is LoggedRequest {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as LoggedRequest).method === 'string' &&
    typeof (value as LoggedRequest).headers === 'object'
  );
}

/**
 * The request as a log line shows it: method, URL (path and query, redacted as text: a client may put
 * anything there), the caller's address and a few headers; of `Authorization` only that it was there.
 */
export function requestLogFields(request: unknown, options: RedactionOptions = {}): unknown {
  if (!isRequest(request)) return redactValue(request, options);
  const headers: Record<string, string> = {};
  if (request.headers.authorization !== undefined) headers.authorization = REDACTED;
  for (const name of LOGGED_HEADERS) {
    const value = request.headers[name];
    if (value !== undefined) headers[name] = redactText(String(value), options);
  }
  return {
    method: request.method,
    url: redactText(request.originalUrl ?? request.url ?? '', options),
    remoteAddress: request.socket?.remoteAddress,
    headers,
  };
}

/** The response as a log line shows it: its status. */
export function responseLogFields(response: unknown, options: RedactionOptions = {}): unknown {
  const statusCode = (response as { statusCode?: unknown } | null)?.statusCode;
  if (
    typeof statusCode === 'number' &&
    typeof (response as { setHeader?: unknown }).setHeader === 'function'
  ) {
    return { statusCode };
  }
  return redactValue(response, options);
}

/**
 * A logger call's arguments (`(fields?, message?, ...values)`, as pino takes them) with the message
 * formatted and redacted; the fields object is redacted where the line is put together. Pino takes the
 * message of a logged error when none is given: that one is put in, redacted.
 */
export function redactLogArguments(args: readonly unknown[], options: RedactionOptions = {}): unknown[] {
  if (args.length === 0) return [];
  const [first, ...rest] = args;
  if (typeof first !== 'object' || first === null) return [messageOf(first, rest, options)];
  const [message, ...values] = rest;
  if (message !== undefined) return [first, messageOf(message, values, options)];
  const fields = first as { msg?: unknown; err?: unknown };
  const error = first instanceof Error ? first : fields.msg === undefined ? fields.err : undefined;
  const errorMessage = (error as { message?: unknown } | null | undefined)?.message;
  return typeof errorMessage === 'string' ? [first, redactText(errorMessage, options)] : [first];
}

function messageOf(message: unknown, values: unknown[], options: RedactionOptions): unknown {
  if (values.length > 0) return redactText(format(message, ...values), options);
  return typeof message === 'string' ? redactText(message, options) : redactValue(message, options);
}
