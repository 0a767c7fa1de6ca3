import Fastify, { type FastifyInstance } from 'fastify';
import { frameworkErrorHandler } from './framework-errors';
import { HTTP_PROBLEMS } from './problem-mapping';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { requestIdFor } from './request-id';

describe('frameworkErrorHandler', () => {
  let fastify: FastifyInstance;

  beforeAll(async () => {
    fastify = Fastify({ genReqId: requestIdFor, frameworkErrors: frameworkErrorHandler(HTTP_PROBLEMS) });
    fastify.get('/things/:id', () => ({ ok: true }));
    await fastify.ready();
  });
  afterAll(() => fastify.close());

  it.each([
    ['a path parameter over maxParamLength', `/things/${'a'.repeat(5000)}`, 414],
    ['a lone surrogate percent-encoded in the path', '/things/%ED%A0%80', 400],
    ['a broken percent-encoding in the path', '/things/%zz', 400],
  ])(
    'answers %s with problem+json and the request id, without echoing the path',
    async (_name, url, status) => {
      const answer = await fastify.inject({
        method: 'GET',
        url,
        headers: { 'x-request-id': 'req-12345678' },
      });
      expect(answer.statusCode).toBe(status);
      expect(String(answer.headers['content-type']).startsWith(PROBLEM_CONTENT_TYPE)).toBe(true);
      expect(answer.headers['x-request-id']).toBe('req-12345678');
      expect(answer.json()).toMatchObject({ status, instance: 'urn:request:req-12345678' });
      expect(answer.body).not.toContain('aaaaaaaaaa');
      expect(answer.body.length).toBeLessThan(500);
    },
  );

  it('leaves routing alone otherwise', async () => {
    const answer = await fastify.inject({ method: 'GET', url: '/things/1' });
    expect(answer.json()).toEqual({ ok: true });
  });
});
