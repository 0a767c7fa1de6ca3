import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
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

/** Destinations with a warm connection pool; the least recently used one's sockets close beyond this. */
const MAX_POOLS = 500;
const pools = new Map<string, HttpAgent>();

/**
 * A keep-alive pool per (URL origin, checked address): a burst to one endpoint reuses its connections
 * (no TCP and TLS handshake per webhook), and a pooled socket only ever goes to the address it was
 * opened to, so the SSRF pin holds for reused connections too.
 */
function poolFor(url: URL, address: string): HttpAgent {
  const key = `${url.origin}|${address}`;
  let agent = pools.get(key);
  if (agent) {
    pools.delete(key);
  } else {
    const options = {
      keepAlive: true,
      keepAliveMsecs: 15_000,
      maxFreeSockets: 16,
      scheduling: 'lifo' as const,
    };
    agent = url.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
  }
  pools.set(key, agent);
  if (pools.size > MAX_POOLS) {
    const [oldestKey, oldest] = pools.entries().next().value as [string, HttpAgent];
    pools.delete(oldestKey);
    oldest.destroy();
  }
  return agent;
}

/**
 * One POST: connects to the pinned address only, never follows a redirect (node's client does not),
 * and ends at the answer's head or at the timeout. The answer's body is read and dropped in the
 * background (at most 64 KiB and 5 s) so the connection can be reused.
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
        agent: poolFor(outgoing.url, outgoing.address),
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
        // Read and drop the body, so the connection goes back to the pool; a large one is cut off.
        let received = 0;
        const drainLimit = setTimeout(() => response.destroy(), 5_000);
        drainLimit.unref();
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > 64 * 1024) response.destroy();
        });
        response.on('close', () => clearTimeout(drainLimit));
        response.on('error', () => undefined);
        response.resume();
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
