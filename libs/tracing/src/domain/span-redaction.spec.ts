import { isHousekeepingSpan, redactSpanAttributes, withoutQuery } from './span-redaction';

const PERSON = '03867199348';
const API_KEY = 'sgw_live_AbCd1234efGHijKLmnOPqrSTuvWXyz0123456789abcdefghi';
const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiIxMjMiLCJjb25zdW1lcl9vcmciOiIzMTM4NzYxNDQifQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';
const CONSENT_ID = '0193a4c2-7b1e-7000-8000-a12345678901';

describe('redactSpanAttributes', () => {
  it.each<[string, Record<string, string | number | string[]>, Record<string, unknown>]>([
    [
      'a fødselsnummer in a URN',
      { 'sgw.from': `urn:altinn:person:identifier-no:${PERSON}` },
      { 'sgw.from': 'urn:altinn:person:identifier-no:[REDACTED]' },
    ],
    ['a fødselsnummer as a number', { 'sgw.number': 31129956715 }, { 'sgw.number': '[REDACTED]' }],
    [
      'a bearer token and a JWT in an exception message',
      { 'exception.message': `Authorization: Bearer abc.def.ghi refused ${JWT}` },
      { 'exception.message': 'Authorization: Bearer [REDACTED] refused [REDACTED]' },
    ],
    ['a tenant API key', { 'sgw.key': API_KEY }, { 'sgw.key': '[REDACTED]' }],
    [
      "a webhook URL's query",
      { 'url.full': 'https://bank.example/hook?sig=s3cr3t&x=1', 'url.query': 'sig=s3cr3t' },
      { 'url.full': 'https://bank.example/hook', 'url.query': '[REDACTED]' },
    ],
    ['strings in a list', { 'db.args': [PERSON, 'ok'] }, { 'db.args': ['[REDACTED]', 'ok'] }],
  ])('masks %s', (_case, attributes, expected) => {
    expect(redactSpanAttributes(attributes)).toEqual(expected);
  });

  it('keeps UUIDs, route templates, statuses and SQL with placeholders', () => {
    const attributes = {
      'bullmq.job.id': CONSENT_ID,
      'http.route': '/v1/consent-requests/:id',
      'http.response.status_code': 201,
      'db.statement': 'SELECT id FROM consent_requests WHERE tenant_id = $1 AND id = $2',
    };
    expect(redactSpanAttributes(attributes)).toEqual(attributes);
  });
});

describe('withoutQuery', () => {
  it.each([
    ['http://127.0.0.1:3000/v1/consent-requests?status=created', 'http://127.0.0.1:3000/v1/consent-requests'],
    ['/hook#frag', '/hook'],
    ['/plain', '/plain'],
  ])('%s → %s', (url, expected) => expect(withoutQuery(url)).toBe(expected));
});

describe('isHousekeepingSpan', () => {
  it.each([
    ['getNextJob consent-create', true],
    ['moveStalledJobsToWait webhook-delivery', true],
    ['process consent-create', false],
    ['add consent-create.create', false],
    ['POST /v1/consent-requests', false],
  ])('%s → %s', (name, expected) => expect(isHousekeepingSpan(name)).toBe(expected));
});
