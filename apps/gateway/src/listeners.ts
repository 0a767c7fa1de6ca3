import { createServer, type IncomingMessage, type Server, type ServerOptions } from 'node:http';
import { type AddressInfo } from 'node:net';
import { NotFoundException } from '@nestjs/common';
import { type FastifyInstance, type FastifyServerFactory } from 'fastify';
import { type ProblemTable, sendProblem } from '@gw/http';

/** The two listeners of the gateway: the tenant API for the internet, the rest for operators. */
export type Listener = 'public' | 'management';

/**
 * Which listener serves a route, by its pattern (`/v1/consent-requests/:id`): the tenant API and its docs
 * publicly; the admin API, bull-board, the admin docs, the operator console and `/metrics` on the
 * management port; the probes on both. A route in neither list is served nowhere, so a new route must be
 * placed here to be reachable.
 */
const ROUTES: Record<Listener, readonly RegExp[]> = {
  public: [/^\/v1(\/|$)/, /^\/health\//, /^\/docs(\/|$)/, /^\/docs-json$/],
  management: [/^\/admin\//, /^\/metrics$/, /^\/health\//, /^\/console(\/|$)/],
};

export function servesRoute(listener: Listener, route: string): boolean {
  return ROUTES[listener].some((pattern) => pattern.test(route));
}

const ON_MANAGEMENT = Symbol('sgw.management-listener');

function listenerOf(request: IncomingMessage): Listener {
  return (request as IncomingMessage & { [ON_MANAGEMENT]?: true })[ON_MANAGEMENT] ? 'management' : 'public';
}

/**
 * One Fastify instance (one Nest app, one module graph) behind two `http.Server`s: Fastify's
 * `serverFactory` hands over its request handler, which both servers call; the management server marks
 * its requests first. Cheaper and simpler than a second Nest app; the split itself is `installSplit`.
 */
export class ManagementListener {
  private server?: Server;

  /** For `new FastifyAdapter({ serverFactory })`: builds the public server and, beside it, this one. */
  readonly serverFactory: FastifyServerFactory = (handler, factoryOptions) => {
    // Fastify passes its own options; these are the ones it applies to a server it creates itself.
    const options = factoryOptions as {
      keepAliveTimeout?: number;
      requestTimeout?: number;
      connectionTimeout?: number;
      http?: ServerOptions;
    };
    const configure = (server: Server) => {
      if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
      if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
      if (options.connectionTimeout) server.setTimeout(options.connectionTimeout);
      return server;
    };
    const http = options.http ?? {};
    const publicServer = configure(createServer(http, handler));
    this.server = configure(
      createServer(http, (request, response) => {
        (request as IncomingMessage & { [ON_MANAGEMENT]?: true })[ON_MANAGEMENT] = true;
        handler(request, response);
      }),
    );
    // Requests Node cannot parse go to Fastify's handler for them, as on the public server.
    this.server.on('clientError', (error, socket) => publicServer.emit('clientError', error, socket));
    return publicServer;
  };

  /**
   * An `onRequest` hook that answers a route of the other listener as the 404 of an unknown route (same
   * problem document), before any guard or the queue board's authentication runs: on the public port the
   * admin routes do not exist. Also closes this listener when Fastify closes.
   */
  installSplit(fastify: FastifyInstance, problems: ProblemTable<string>): void {
    fastify.addHook('onRequest', (request, reply, done) => {
      const route = request.routeOptions.url;
      if (route === undefined || servesRoute(listenerOf(request.raw), route)) {
        done();
        return;
      }
      sendProblem(problems, new NotFoundException(`Cannot ${request.method} ${request.url}`), request, reply);
    });
    fastify.addHook('preClose', (done) => {
      // No new connections; idle keep-alive ones go now, busy ones when their answer is sent.
      this.server?.close();
      this.server?.closeIdleConnections();
      done();
    });
    fastify.addHook('onClose', (_instance, done) => {
      if (this.server?.listening) this.server.once('close', () => done());
      else done();
    });
  }

  /** Starts listening; call after the app listens (Fastify is ready then). */
  async listen(port: number, host: string): Promise<string> {
    const server = this.server;
    if (!server) throw new Error('The management listener was not created: pass serverFactory to Fastify');
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return urlOf(server);
  }
}

/** A URL this machine reaches a listening server by (loopback for a wildcard address). */
export function urlOf(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  if (address === '0.0.0.0' || address === '::') return `http://127.0.0.1:${port}`;
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}
