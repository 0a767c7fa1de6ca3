import { type FastifyReply, type FastifyRequest } from 'fastify';
import { type AdminAnswer } from './admin-api';
import { type ConsoleSession } from './console-sessions';
import { type SafeHtml } from './html';
import { type Loaded, type PageContext, problemPage } from './views/layout';

/** A console request once the session hook has found its live session. */
export interface ConsoleRequest extends FastifyRequest {
  consoleSession?: ConsoleSession;
}

/** A parsed `application/x-www-form-urlencoded` body. */
export type Form = Record<string, string>;

/** What every console route uses: who is signed in (and their key), sending a page, a 404 page. */
export interface ConsoleRouteKit {
  contextOf: (request: ConsoleRequest) => { context: PageContext; adminKey: string };
  send: (reply: FastifyReply, markup: SafeHtml, status?: number) => FastifyReply;
  notFound: (request: ConsoleRequest, reply: FastifyReply) => FastifyReply;
}

export function consoleRouteKit(keysByFingerprint: ReadonlyMap<string, string>): ConsoleRouteKit {
  function contextOf(request: ConsoleRequest): { context: PageContext; adminKey: string } {
    const session = request.consoleSession;
    const adminKey = session && keysByFingerprint.get(session.actor);
    if (!session || adminKey === undefined) throw new Error('console route without a session');
    return { context: { actor: session.actor, csrfToken: session.csrfToken }, adminKey };
  }

  function send(reply: FastifyReply, markup: SafeHtml, status = 200): FastifyReply {
    return reply.status(status).type('text/html; charset=utf-8').send(markup.markup);
  }

  function notFound(request: ConsoleRequest, reply: FastifyReply): FastifyReply {
    const { context } = contextOf(request);
    return send(
      reply,
      problemPage('Not found', context, {
        status: 404,
        title: 'Not found',
        detail: 'No such page or tenant.',
      }),
      404,
    );
  }

  return { contextOf, send, notFound };
}

export function loaded<A, T>(answer: AdminAnswer<A>, pick: (value: A) => T): Loaded<T> {
  return answer.ok ? { ok: true, value: pick(answer.value) } : answer;
}
