import { inspect } from 'node:util';
import { accessToken } from './access-token';

describe('accessToken', () => {
  const token = accessToken({
    accessToken: 'eyJhbGciOiJSUzI1NiJ9.secret.sig',
    tokenType: 'Bearer',
    scope: 'altinn:consentrequests.read',
    expiresAt: new Date('2025-11-24T12:02:00Z'),
    expiresIn: 120,
    source: 'fetched',
  });

  it('gives the token to whoever reads the field', () => {
    expect(token.accessToken).toBe('eyJhbGciOiJSUzI1NiJ9.secret.sig');
  });

  it.each([
    ['JSON.stringify', () => JSON.stringify(token)],
    ['util.inspect', () => inspect(token)],
    ['a template string of a wrapper', () => JSON.stringify({ token })],
  ])('redacts itself in %s', (_label, render) => {
    const text = render();
    expect(text).not.toContain('secret');
    expect(text).toContain('[redacted]');
    expect(text).toContain('altinn:consentrequests.read');
  });
});
