import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type LookupFunction } from 'node:net';
import { type AttemptResult, parseRetryAfter } from './domain/delivery-schedule';

export interface OutgoingWebhook {
  url: URL;
  /** The checked address to connect to (SSRF guard); the URL's host still names TLS and `Host`. */
  address: string;
  family: 4 | 6;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * One POST: connects to the pinned address only, never follows a redirect (node's client does not),
 * and ends at the first byte of the answer's head or at the timeout. The body of the answer is ignored.
 */
export function postWebhook(outgoing: OutgoingWebhook): Promise<AttemptResult> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: outgoing.address, family: outgoing.family }]);
    else callback(null, outgoing.address, outgoing.family);
  };
  const send = outgoing.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = send(
      outgoing.url,
      {
        method: 'POST',
        headers: { ...outgoing.headers, 'content-length': String(Buffer.byteLength(outgoing.body)) },
        lookup: pinned,
        agent: false,
        signal: outgoing.signal,
      },
      (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        const retryAfter = response.headers['retry-after'];
        const retryAfterMs = parseRetryAfter(
          typeof retryAfter === 'string' ? retryAfter : undefined,
          new Date(),
        );
        finish({ kind: 'response', status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
        response.destroy();
      },
    );
    const timer = setTimeout(
      () => request.destroy(new Error(`timed out after ${outgoing.timeoutMs} ms`)),
      outgoing.timeoutMs,
    );
    request.on('error', (error: Error & { code?: string }) =>
      finish({ kind: 'error', message: error.code ? `${error.code}: ${error.message}` : error.message }),
    );
    request.end(outgoing.body);
  });
}
