import { type FastifyRequest } from 'fastify';
import { type AdminClient, createAdminClient } from '@samtykke-gateway/client';
import { type Problem } from './views/layout';

/** An admin API answer as the console handles it: the value, or the problem to show. */
export type AdminAnswer<T> = { ok: true; value: T } | { ok: false; problem: Problem };

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).status === 'number' &&
    typeof (value as Problem).title === 'string'
  );
}

/** One admin API call through the typed client, as a value or the problem the API (or the network) gave. */
export async function answerOf<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<AdminAnswer<T>> {
  try {
    const { data, error, response } = await call;
    if (response.ok) return { ok: true, value: data as T };
    if (isProblem(error)) return { ok: false, problem: error };
    return {
      ok: false,
      problem: {
        status: response.status,
        title: response.statusText || 'Error',
        detail: 'The admin API refused.',
      },
    };
  } catch (error) {
    return {
      ok: false,
      problem: {
        status: 502,
        title: 'Admin API unreachable',
        detail: error instanceof Error ? error.message : 'The console could not reach the admin API.',
      },
    };
  }
}

/**
 * The management listener this request came in on, as a URL this process reaches it by: the socket's
 * own address and port, never the Host header (which the browser, or anyone, sets).
 */
export function managementUrlOf(request: FastifyRequest): string {
  const { localAddress, localPort } = request.raw.socket;
  if (localAddress === undefined || localPort === undefined) {
    throw new Error('The request has no local address to reach the admin API by');
  }
  const host = localAddress.includes(':') ? `[${localAddress}]` : localAddress;
  return `http://${host}:${localPort}`;
}

/**
 * The admin API for one console request: the generated typed client over the management listener's
 * own address, with the signed-in operator's admin key, so every change goes through the admin API's
 * guard, validation and audit exactly as a direct call would.
 */
export function adminClientFor(request: FastifyRequest, adminKey: string): AdminClient {
  return createAdminClient({ baseUrl: managementUrlOf(request), adminKey });
}
