import { type FastifyInstance } from 'fastify';
import { MalformedBodyError } from './http.errors';

/**
 * Keeps Fastify's JSON parser (prototype-poisoning checks included) but turns its refusals into
 * `http.malformed_body`, which the problem filter answers as a 400 problem document; left alone, the
 * framework turns them into an anonymous 400.
 */
export function installJsonBodyParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  if (fastify.hasContentTypeParser('application/json')) fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    void parse(request, body as string, (error, value) => {
      if (error) done(new MalformedBodyError(error.message), undefined);
      else done(null, value);
    });
  });
}
