import { MaskinportenError } from './maskinporten.errors';
import { MaskinportenTokenClient, type TokenClientOptions } from './token-client';

type Answer = { status: number; body: unknown; headers?: Record<string, string> } | 'network-error' | 'stall';

/** A hand-written token endpoint: answers in order, records every request. */
function fakeEndpoint(answers: Answer[]) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetch: typeof globalThis.fetch = (async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
    if (answer === 'network-error') throw new TypeError('fetch failed');
    if (answer === 'stall') {
      return new Promise((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'TimeoutError'))),
      );
    }
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    return new Response(text, {
      status: answer.status,
      headers: { 'content-type': 'application/json', ...answer.headers },
    });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, requests };
}

const token = { access_token: 'eyJ.token', token_type: 'Bearer', expires_in: 120, scope: 'a' };
const notDelegated = {
  error: 'invalid_grant',
  error_description:
    'Consumer 974760673 has not delegated access to the scope a to supplier 310149942 (trace_id: t)',
  error_uri: 'https://docs.digdir.no/#MP-251',
};

describe('MaskinportenTokenClient', () => {
  const client = (answers: Answer[], options: Partial<TokenClientOptions> = {}) => {
    const endpoint = fakeEndpoint(answers);
    const subject = new MaskinportenTokenClient({
      tokenEndpoint: 'https://mp.example/token',
      sleep: () => Promise.resolve(),
      fetch: endpoint.fetch,
      ...options,
    });
    let grants = 0;
    const grant = () => Promise.resolve(`grant-${(grants += 1)}`);
    return { subject, endpoint, grant };
  };

  it('posts a JWT-bearer form and reads the token response', async () => {
    const { subject, endpoint, grant } = client([{ status: 200, body: token }]);
    await expect(subject.requestToken(grant)).resolves.toEqual({
      accessToken: 'eyJ.token',
      tokenType: 'Bearer',
      expiresIn: 120,
      scope: 'a',
      attempts: 1,
    });
    expect(endpoint.requests[0].url).toBe('https://mp.example/token');
    expect(endpoint.requests[0].init.method).toBe('POST');
    expect((endpoint.requests[0].init.headers as Record<string, string>)['content-type']).toBe(
      'application/x-www-form-urlencoded',
    );
    expect(Object.fromEntries(new URLSearchParams(endpoint.requests[0].init.body as string))).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: 'grant-1',
    });
  });

  it.each<[string, Answer]>([
    ['a 503', { status: 503, body: { error: 'server_error' } }],
    ['a network error', 'network-error'],
    ['a stall past the timeout', 'stall'],
  ])('retries %s with a fresh grant and succeeds', async (_label, failure) => {
    const { subject, endpoint, grant } = client([failure, { status: 200, body: token }], { timeoutMs: 20 });
    await expect(subject.requestToken(grant)).resolves.toMatchObject({ attempts: 2 });
    const assertions = endpoint.requests.map(({ init }) =>
      new URLSearchParams(init.body as string).get('assertion'),
    );
    expect(assertions).toEqual(['grant-1', 'grant-2']);
  });

  it('gives up after maxAttempts with maskinporten.unavailable and the last status', async () => {
    const { subject, endpoint, grant } = client([{ status: 500, body: { error: 'server_error' } }], {
      maxAttempts: 4,
    });
    const error = await subject.requestToken(grant).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MaskinportenError);
    expect(error).toMatchObject({ code: 'maskinporten.unavailable', status: 500, attempts: 4 });
    expect(endpoint.requests).toHaveLength(4);
  });

  it('does not retry a 400 and keeps upstream error, MP code and description', async () => {
    const { subject, endpoint, grant } = client([{ status: 400, body: notDelegated }]);
    await expect(subject.requestToken(grant)).rejects.toMatchObject({
      code: 'maskinporten.not_delegated',
      status: 400,
      upstreamError: 'invalid_grant',
      mpCode: 'MP-251',
      description: notDelegated.error_description,
      attempts: 1,
    });
    expect(endpoint.requests).toHaveLength(1);
  });

  it('waits with growing backoff between retries', async () => {
    const waits: number[] = [];
    const { subject, grant } = client([{ status: 502, body: {} }], {
      maxAttempts: 4,
      backoff: { baseMs: 100, maxMs: 1000 },
      random: () => 0,
      sleep: (ms) => Promise.resolve(waits.push(ms)),
    });
    await expect(subject.requestToken(grant)).rejects.toMatchObject({ code: 'maskinporten.unavailable' });
    expect(waits).toEqual([50, 100, 200]);
  });

  it('retries a 429 after at least its Retry-After, then succeeds', async () => {
    const waits: number[] = [];
    const { subject, endpoint, grant } = client(
      [
        { status: 429, body: { error: 'server_error' }, headers: { 'retry-after': '2' } },
        { status: 200, body: token },
      ],
      {
        backoff: { baseMs: 100, maxMs: 1000 },
        random: () => 0,
        sleep: (ms) => Promise.resolve(waits.push(ms)),
      },
    );
    await expect(subject.requestToken(grant)).resolves.toMatchObject({ attempts: 2 });
    expect(waits).toEqual([2000]);
    expect(endpoint.requests).toHaveLength(2);
  });

  it('retries a 429 without Retry-After on its backoff', async () => {
    const waits: number[] = [];
    const { subject, grant } = client(
      [
        { status: 429, body: '' },
        { status: 200, body: token },
      ],
      {
        backoff: { baseMs: 100, maxMs: 1000 },
        random: () => 0,
        sleep: (ms) => Promise.resolve(waits.push(ms)),
      },
    );
    await expect(subject.requestToken(grant)).resolves.toMatchObject({ attempts: 2 });
    expect(waits).toEqual([50]);
  });

  it('honours the Retry-After of a 503 when it is longer than the backoff', async () => {
    const waits: number[] = [];
    const { subject, grant } = client(
      [
        { status: 503, body: { error: 'server_error' }, headers: { 'retry-after': '1' } },
        { status: 200, body: token },
      ],
      {
        backoff: { baseMs: 100, maxMs: 1000 },
        random: () => 0,
        sleep: (ms) => Promise.resolve(waits.push(ms)),
      },
    );
    await expect(subject.requestToken(grant)).resolves.toMatchObject({ attempts: 2 });
    expect(waits).toEqual([1000]);
  });

  it('leaves a Retry-After longer than it will wait to the caller as a retryable failure', async () => {
    const waits: number[] = [];
    const { subject, endpoint, grant } = client(
      [{ status: 429, body: { error: 'server_error' }, headers: { 'retry-after': '120' } }],
      { sleep: (ms) => Promise.resolve(waits.push(ms)) },
    );
    const error = (await subject.requestToken(grant).catch((caught: unknown) => caught)) as MaskinportenError;
    expect(error).toMatchObject({
      code: 'maskinporten.unavailable',
      status: 429,
      attempts: 1,
      retryable: true,
      retryAfterMs: 120_000,
    });
    expect(waits).toEqual([]);
    expect(endpoint.requests).toHaveLength(1);
  });

  it('carries a 503’s Retry-After to the caller when it runs out of attempts', async () => {
    const { subject, grant } = client(
      [{ status: 503, body: { error: 'server_error' }, headers: { 'retry-after': '3' } }],
      { maxAttempts: 2 },
    );
    await expect(subject.requestToken(grant)).rejects.toMatchObject({ status: 503, retryAfterMs: 3_000 });
  });

  it('tells the circuit breaker each request’s status, no answer included', async () => {
    const calls: unknown[] = [];
    const { subject, grant } = client(
      ['network-error', { status: 503, body: {} }, { status: 400, body: notDelegated }],
      { maxAttempts: 3, breakers: { recordCall: (upstream, status) => calls.push([upstream, status]) } },
    );
    await expect(subject.requestToken(grant)).rejects.toMatchObject({ status: 400 });
    expect(calls).toEqual([
      ['maskinporten', 'network'],
      ['maskinporten', 503],
      ['maskinporten', 400],
    ]);
  });

  it('reads the MP code from an error_uri of the form <issuer>errors/MP-nnn', async () => {
    const { subject, grant } = client([
      {
        status: 400,
        body: { ...notDelegated, error_uri: 'https://test.maskinporten.no/errors/MP-251' },
      },
    ]);
    await expect(subject.requestToken(grant)).rejects.toMatchObject({
      code: 'maskinporten.not_delegated',
      mpCode: 'MP-251',
    });
  });

  it.each([
    ['no access_token', { token_type: 'Bearer', expires_in: 120 }],
    ['no expires_in', { access_token: 'x' }],
    ['not JSON', 'ok'],
  ])('refuses a 200 with %s as maskinporten.invalid_response without echoing it', async (_label, body) => {
    const { subject, grant } = client([{ status: 200, body }]);
    const error = (await subject.requestToken(grant).catch((caught: unknown) => caught)) as MaskinportenError;
    expect(error.code).toBe('maskinporten.invalid_response');
    expect(error.message).not.toContain('access_token');
  });

  it('reads expires_in given as a string and ignores extra members', async () => {
    const { subject, grant } = client([{ status: 200, body: { ...token, expires_in: '60', extra: true } }]);
    await expect(subject.requestToken(grant)).resolves.toMatchObject({ expiresIn: 60 });
  });

  it('lets a signing failure through unchanged and unretried', async () => {
    const { subject, endpoint } = client([{ status: 200, body: token }]);
    const failure = new Error('KMS down');
    await expect(subject.requestToken(() => Promise.reject(failure))).rejects.toBe(failure);
    expect(endpoint.requests).toHaveLength(0);
  });
});
