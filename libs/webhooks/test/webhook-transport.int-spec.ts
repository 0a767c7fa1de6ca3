import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { postWebhook } from '../src/webhook-transport';

// The delivery's HTTP client against a real local server: answers, and connections kept for the next one.
describe('postWebhook', () => {
  let server: Server;
  let connections = 0;
  let url: URL;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(204).end());
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = () =>
    postWebhook({
      url,
      address: '127.0.0.1',
      family: 4,
      headers: { 'content-type': 'application/json' },
      body: '{}',
      timeoutMs: 5_000,
    });

  it('reuses one connection for webhooks sent one after another to the same destination', async () => {
    const before = connections;
    for (let i = 0; i < 10; i += 1) expect(await post()).toEqual({ kind: 'response', status: 204 });
    expect(connections - before).toBe(1);
  });

  it('reports a refused connection as an error, not an answer', async () => {
    const closed = new URL('http://127.0.0.1:1/hook');
    const result = await postWebhook({
      url: closed,
      address: '127.0.0.1',
      family: 4,
      headers: {},
      body: '{}',
      timeoutMs: 5_000,
    });
    expect(result).toMatchObject({ kind: 'error' });
  });
});
