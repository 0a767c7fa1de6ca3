import fc from 'fast-check';
import {
  applyTextRules,
  configSecrets,
  REDACTED,
  redactFields,
  redactLogLine,
  redactText,
  redactValue,
} from './redaction';

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiIxMjMiLCJjb25zdW1lcl9vcmciOiIzMTM4NzYxNDQifQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';
const API_KEY = 'sgw_live_AbCd1234efGHijKLmnOPqrSTuvWXyz0123456789abcdefghi';
const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ADMIN_KEY = 'test-admin-5f0c1a8e-2b8e-4c55-9d51-0d3c2f1e7a44';

describe('redactText', () => {
  it.each([
    ['a fødselsnummer alone', '03867199348', REDACTED],
    [
      'a fødselsnummer in a URN',
      'urn:altinn:person:identifier-no:03867199348',
      `urn:altinn:person:identifier-no:${REDACTED}`,
    ],
    ['a D-number in a sentence', 'person 41025161013 asked', `person ${REDACTED} asked`],
    ['an 11-digit run glued to letters', 'pnr01025161013x', `pnr${REDACTED}x`],
    ['a bearer token', 'authorization: Bearer abc.def-ghi', `authorization: Bearer ${REDACTED}`],
    ['a JWT', `token was ${JWT} ok`, `token was ${REDACTED} ok`],
    ['a JWS signing input (two segments)', 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0', REDACTED],
    [
      'a JWT assertion in a form body',
      `grant_type=jwt-bearer&assertion=${JWT}`,
      `grant_type=jwt-bearer&assertion=${REDACTED}`,
    ],
    ['an opaque assertion in a form body', 'assertion=opaque-value-1&x=1', `assertion=${REDACTED}&x=1`],
    ['a tenant API key', `key ${API_KEY} used`, `key ${REDACTED} used`],
    ['a webhook secret', `secret is ${WHSEC}`, `secret is ${REDACTED}`],
    [
      'an access token in embedded JSON',
      '{"access_token":"opaque123","expires_in":120}',
      `{"access_token":"${REDACTED}","expires_in":120}`,
    ],
    ['a password in a URL', 'postgres://sgw:hunter2@db:5432/sgw', `postgres://sgw:${REDACTED}@db:5432/sgw`],
  ])('masks %s', (_case, text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it.each([
    ['a UUID whose last group has 11 digits in a row', '0192f3a4-5b6c-7d8e-9f01-a12345678901'],
    ['a 10-digit number', 'ref 0123456789'],
    ['a 13-digit epoch time', 'at 1735689600000'],
    ['an org number', 'urn:altinn:organization:identifier-no:313876144'],
    ['a route', 'POST /v1/consent-requests/:id/token'],
    ['a host name', 'platform.tt02.altinn.no'],
  ])('keeps %s', (_case, text) => {
    expect(redactText(text)).toBe(text);
  });

  it('masks configured secrets that no pattern knows', () => {
    expect(redactText(`admin ${ADMIN_KEY} called`, { secrets: [ADMIN_KEY] })).toBe(
      `admin ${REDACTED} called`,
    );
  });

  it('ignores configured secrets too short to be one', () => {
    expect(redactText('the test ran', { secrets: ['test'] })).toBe('the test ran');
  });

  // redactText skips the rules for text its one quick check finds nothing in: that check must never
  // miss what a rule would mask, wherever in the text and in whatever company it turns up.
  it('masks exactly what every rule masks, the quick check notwithstanding', () => {
    const fragments = fc.constantFrom(
      '03867199348',
      '0386719934',
      'Bearer ',
      'basic\t',
      'DPoP ',
      'abc.def',
      JWT,
      'eyJhbGciOiJIUzI1NiJ9',
      API_KEY,
      'sgw_test_',
      WHSEC,
      'whsec_',
      'access_token',
      'Api-Key',
      'cookie',
      'passwd',
      'credential',
      'assertion',
      'secret',
      '=',
      ': ',
      '":"',
      '&',
      '"',
      '//user:',
      'pw@',
      '@',
      '.',
      'AbCdEfGhIjKlMnOp',
      'urn:altinn:person:identifier-no:',
      '0192f3a4-5b6c-7d8e-9f01-a12345678901',
    );
    const text = fc
      .array(fc.oneof(fragments, fc.string({ maxLength: 6 }), fc.stringMatching(/^\d{1,12}$/)), {
        maxLength: 12,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (value) => redactText(value) === applyTextRules(value)),
      { numRuns: 5_000 },
    );
  });
});

describe('redactValue', () => {
  it.each([
    ['authorization', { authorization: 'Bearer abc' }],
    ['access_token', { access_token: 'opaque' }],
    ['assertion', { assertion: 'opaque' }],
    ['clientSecret', { clientSecret: 'opaque' }],
    ['password', { password: 'opaque' }],
    ['x-api-key', { 'x-api-key': 'opaque' }],
    ['apiKey (object)', { apiKey: { value: 'opaque' } }],
  ])('replaces the value of a field named %s', (_name, value) => {
    expect(Object.values(redactValue(value) as object)).toEqual([REDACTED]);
  });

  it('walks nested objects and arrays, numbers and keys', () => {
    expect(
      redactValue({
        req: { headers: { authorization: `Bearer ${API_KEY}`, accept: 'application/json' } },
        from: ['urn:altinn:person:identifier-no:03867199348', 3867199348, 13867199348],
        byPerson: { '01025161013': 'x' },
        ok: true,
        tokenCached: false,
      }),
    ).toEqual({
      req: { headers: { authorization: REDACTED, accept: 'application/json' } },
      from: [`urn:altinn:person:identifier-no:${REDACTED}`, 3867199348, REDACTED],
      byPerson: { [REDACTED]: 'x' },
      ok: true,
      tokenCached: false,
    });
  });

  it('redacts what JSON would write of a value with toJSON', () => {
    const at = new Date('2026-11-25T08:00:00.000Z');
    expect(redactValue({ at, pnr: { toJSON: () => '03867199348' } })).toEqual({
      at: '2026-11-25T08:00:00.000Z',
      pnr: REDACTED,
    });
  });

  it('writes an object referred to twice twice: only a cycle is cut', () => {
    const at = { on: '2026-11-25', by: 'person 03867199348' };
    expect(redactValue({ created: at, updated: at })).toEqual({
      created: { on: '2026-11-25', by: `person ${REDACTED}` },
      updated: { on: '2026-11-25', by: `person ${REDACTED}` },
    });
  });

  it('stops at a depth no log line needs, writing nothing below it', () => {
    let deep: Record<string, unknown> = { pnr: '03867199348' };
    for (let level = 0; level < 20; level += 1) deep = { deeper: deep };
    expect(JSON.stringify(redactValue(deep))).not.toContain('03867199348');
  });

  it('survives circular structures', () => {
    const value: Record<string, unknown> = { name: 'a' };
    value.self = value;
    expect(redactValue(value)).toEqual({ name: 'a', self: '[Circular]' });
  });
});

describe('redactFields', () => {
  it('redacts every field but the trusted ones, which are kept as they are', () => {
    const req = { url: '/v1/x?pnr=03867199348', authorization: 'Bearer x' };
    const fields = redactFields(
      { req, msg: 'person 03867199348', apiKey: API_KEY, count: 3 },
      {},
      new Set(['req']),
    );
    expect(fields).toEqual({ req, msg: `person ${REDACTED}`, apiKey: REDACTED, count: 3 });
    expect(fields.req).toBe(req);
  });
});

describe('redactLogLine', () => {
  it('redacts every field of a pino line, message and error stack included, keeping the newline', () => {
    const line = `${JSON.stringify({
      level: 50,
      time: 1735689600000,
      msg: `Altinn refused urn:altinn:person:identifier-no:03867199348 with Bearer ${JWT}`,
      err: { message: `key ${API_KEY}`, stack: `Error: ${WHSEC}\n    at x (a.ts:1:1)` },
    })}\n`;
    const redacted = redactLogLine(line);
    expect(redacted.endsWith('\n')).toBe(true);
    expect(JSON.parse(redacted)).toEqual({
      level: 50,
      time: 1735689600000,
      msg: `Altinn refused urn:altinn:person:identifier-no:${REDACTED} with Bearer ${REDACTED}`,
      err: { message: `key ${REDACTED}`, stack: `Error: ${REDACTED}\n    at x (a.ts:1:1)` },
    });
  });

  it('redacts a line that is not JSON as text', () => {
    expect(redactLogLine('plain 03867199348\n')).toBe(`plain ${REDACTED}\n`);
  });
});

describe('configSecrets', () => {
  it('collects the values of variables named secret, lists and binary keys included', () => {
    const key = Buffer.alloc(32, 7);
    expect(
      configSecrets({
        ADMIN_API_KEY: [ADMIN_KEY, 'second-admin-key-0123456789'],
        KMS_SECRET_ACCESS_KEY: 'aws-secret',
        TOKEN_CACHE_ENCRYPTION_KEY: key,
        KMS_KEY_ID: 'alias/sgw-maskinporten',
        PORT: 3000,
      }),
    ).toEqual([ADMIN_KEY, 'second-admin-key-0123456789', 'aws-secret', key.toString('base64')]);
  });

  it('collects the keys of a key ring (personal-data keys), not their ids', () => {
    const key = Buffer.alloc(32, 9);
    expect(configSecrets({ PERSONAL_DATA_KEYS: [{ keyId: 'k1', key }] })).toEqual([key.toString('base64')]);
  });
});
