import { type FastifyInstance } from 'fastify';
import { type Metrics } from './metrics';

/**
 * Counts every answer by method, route template (`/v1/consent-requests/:id`, never the id itself) and
 * status. Install before the app starts listening.
 */
export function installHttpMetrics(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequest(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
