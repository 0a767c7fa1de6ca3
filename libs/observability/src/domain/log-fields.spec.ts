import { redactLogArguments, requestLogFields, responseLogFields } from './log-fields';
import { REDACTED } from '@gw/redaction';

const API_KEY = 'sgw_live_AbCd1234efGHijKLmnOPqrSTuvWXyz0123456789abcdefghi';
const SECRET = 'ops-admin-key-0123456789abcdef';

function request(url: string, headers: Record<string, string | undefined> = {}, originalUrl?: string) {
  return { method: 'GET', url, originalUrl, headers, socket: { remoteAddress: '10.0.0.7' } };
}

describe('requestLogFields', () => {
  it.each([
    [
      'method, URL, address and the few headers kept; Authorization only as there',
      request('/v1/consent-requests/0192f3a4-5b6c-7d8e-9f01-a3b4c5d6e7f8', {
        authorization: `Bearer ${API_KEY}`,
        'user-agent': 'bank-core/1.2',
        'content-type': 'application/json',
        'content-length': '42',
        cookie: 'session=abc',
        'idempotency-key': 'k-1',
        'x-forwarded-for': '192.0.2.1',
        host: 'gateway.example',
      }),
      {
        method: 'GET',
        url: '/v1/consent-requests/0192f3a4-5b6c-7d8e-9f01-a3b4c5d6e7f8',
        remoteAddress: '10.0.0.7',
        headers: {
          authorization: REDACTED,
          'user-agent': 'bank-core/1.2',
          'content-type': 'application/json',
          'content-length': '42',
        },
      },
    ],
    [
      'a fødselsnummer and a token in the path and query masked',
      request('/v1/people/03867199348?access_token=abc&from=urn:altinn:person:identifier-no:41025161013'),
      {
        method: 'GET',
        url: `/v1/people/${REDACTED}?access_token=${REDACTED}&from=urn:altinn:person:identifier-no:${REDACTED}`,
        remoteAddress: '10.0.0.7',
        headers: {},
      },
    ],
    [
      'a secret in a kept header masked',
      request('/v1/tenant', { 'user-agent': `curl ${API_KEY} ${SECRET}` }),
      {
        method: 'GET',
        url: '/v1/tenant',
        remoteAddress: '10.0.0.7',
        headers: { 'user-agent': `curl ${REDACTED} ${REDACTED}` },
      },
    ],
    [
      'the URL as the client sent it, not as a middleware mounted under a path sees it',
      request('/', {}, '/v1/tenant?x=1'),
      { method: 'GET', url: '/v1/tenant?x=1', remoteAddress: '10.0.0.7', headers: {} },
    ],
  ])('writes %s', (_case, value, expected) => {
    expect(requestLogFields(value, { secrets: [SECRET] })).toEqual(expected);
  });

  it('redacts whatever else is logged under `req` as any value', () => {
    expect(requestLogFields({ person: '03867199348', token: 'x' })).toEqual({
      person: REDACTED,
      token: REDACTED,
    });
  });
});

describe('responseLogFields', () => {
  it('writes only the status of a response', () => {
    const response = { statusCode: 201, setHeader: () => undefined, getHeaders: () => ({ location: '/x' }) };
    expect(responseLogFields(response)).toEqual({ statusCode: 201 });
  });

  it('redacts whatever else is logged under `res` as any value', () => {
    expect(responseLogFields({ statusCode: 200, body: 'pnr 03867199348' })).toEqual({
      statusCode: 200,
      body: `pnr ${REDACTED}`,
    });
  });
});

describe('redactLogArguments', () => {
  const error = new Error(`Altinn refused urn:altinn:person:identifier-no:03867199348`);
  const fields = { context: 'Consent' };

  it.each<[string, unknown[], unknown[]]>([
    ['nothing', [], []],
    ['a message alone', ['person 03867199348 asked'], [`person ${REDACTED} asked`]],
    [
      'a message with values',
      ['person %s asked with %j', '03867199348', { key: API_KEY }],
      [`person ${REDACTED} asked with {"key":"${REDACTED}"}`],
    ],
    ['fields and a message', [fields, `key ${API_KEY}`], [fields, `key ${REDACTED}`]],
    [
      'fields, a message and values',
      [fields, 'code %d for %s', 7, '03867199348'],
      [fields, `code 7 for ${REDACTED}`],
    ],
    [
      'an error alone: its message becomes the line’s',
      [error],
      [error, `Altinn refused urn:altinn:person:identifier-no:${REDACTED}`],
    ],
    [
      'fields with an error and no message',
      [{ err: error }],
      [{ err: error }, `Altinn refused urn:altinn:person:identifier-no:${REDACTED}`],
    ],
    [
      'fields with an error and a message of their own',
      [{ err: error, msg: 'x' }],
      [{ err: error, msg: 'x' }],
    ],
    ['fields alone', [fields], [fields]],
    ['a message that is not a string', [fields, { pnr: '03867199348' }], [fields, { pnr: REDACTED }]],
    ['a number', [13867199348], [REDACTED]],
  ])('formats and redacts %s', (_case, args, expected) => {
    expect(redactLogArguments(args)).toEqual(expected);
  });

  it('leaves the fields object to the line formatter: it is passed on as it is', () => {
    const logged = { person: '03867199348' };
    expect(redactLogArguments([logged, 'm'])[0]).toBe(logged);
  });
});
