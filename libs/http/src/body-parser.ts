import { type FastifyInstance } from 'fastify';
import { MalformedBodyError } from './http.errors';

/** A body of another media type than JSON; answered as Fastify's own 415, with a detail that says why. */
class UnsupportedMediaTypeError extends Error {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly statusCode = 415;
}

/**
 * JSON is the only body the APIs take. Keeps Fastify's JSON parser (prototype-poisoning checks included)
 * but turns its refusals into `http.malformed_body`, which the problem filter answers as a 400 problem
 * document; left alone, the framework turns them into an anonymous 400. Fastify's built-in `text/plain`
 * parser goes: it handed a string to the handler, whose validation then answered 422 for what is a 415.
 * Any other body (or one without a Content-Type) is a 415 problem document.
 */
export function installJsonBodyParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    void parse(request, body as string, (error, value) => {
      if (error) done(new MalformedBodyError(error.message), undefined);
      else done(null, value);
    });
  });
  fastify.addContentTypeParser('*', (request, _payload, done) => {
    // An unknown route stays a 404, whatever its body.
    if (request.is404) {
      done(null, undefined);
      return;
    }
    const type = request.headers['content-type']?.split(';')[0].trim().slice(0, 100);
    const got = type === undefined || type === '' ? ' (it has no Content-Type)' : `, not ${type}`;
    done(new UnsupportedMediaTypeError(`The request body must be application/json${got}`), undefined);
  });
}
