import { type FastifyInstance } from 'fastify';
import { nameRequestSpan } from '@gw/tracing';
import { type Metrics } from './metrics';

/**
 * Counts every answer by method, route template (`/v1/consent-requests/:id`, never the id itself) and
 * status, and (with tracing on) names each request's span after its route. Install before the app starts
 * listening.
 */
export function installHttpMetrics(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    nameRequestSpan(request.method, request.routeOptions.url ?? 'unmatched');
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequest(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
