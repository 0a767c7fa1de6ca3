import { connect } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { clientErrorHandler, frameworkErrorHandler } from './framework-errors';
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

describe('clientErrorHandler', () => {
  let fastify: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    fastify = Fastify({ clientErrorHandler });
    fastify.get('/things', () => ({ ok: true }));
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    port = (fastify.server.address() as { port: number }).port;
  });
  afterAll(() => fastify.close());

  it('answers a request line over the header limit with problem+json and a request id', async () => {
    const answer = await fetch(`http://127.0.0.1:${port}/things?q=${'q'.repeat(20_000)}`);
    expect(answer.status).toBe(431);
    expect(answer.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
    const id = answer.headers.get('x-request-id');
    expect(await answer.json()).toMatchObject({ status: 431, instance: `urn:request:${id}` });
  });

  it('answers malformed HTTP with a 400 problem document', async () => {
    const text = await new Promise<string>((resolve, reject) => {
      let received = '';
      const socket = connect(port, '127.0.0.1', () =>
        socket.write('GET /things HTTP/1.1\r\nBad Header\r\n\r\n'),
      );
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(text).toContain(`Content-Type: ${PROBLEM_CONTENT_TYPE}`);
    expect(text).toContain('"status":400');
  });
});
