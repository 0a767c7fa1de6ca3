import { type HeaderObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ADMIN_KEY_SCHEME, TENANT_KEY_SCHEME } from '@gw/auth';
import { ApiProblemCodes, type OperationAt, parametersOf, type ResponseRules } from '@gw/http';
import { GATEWAY_PROBLEMS, type GatewayErrorCode } from './problem-table';

/** Records the problem codes an operation may answer with; a code without a row in GATEWAY_PROBLEMS does not compile. */
export function ApiGatewayProblems(...codes: GatewayErrorCode[]): MethodDecorator & ClassDecorator {
  return ApiProblemCodes(...codes);
}

/** What each guard may refuse with, before the route runs; any route may find Postgres or Redis away. */
const GUARD_CODES: Record<string, readonly GatewayErrorCode[]> = {
  [TENANT_KEY_SCHEME]: [
    'auth.missing_credentials',
    'auth.invalid_credentials',
    'auth.tenant_suspended',
    'rate_limit.exceeded',
    'http.dependency_unavailable',
  ],
  [ADMIN_KEY_SCHEME]: [
    'auth.missing_credentials',
    'auth.invalid_credentials',
    'auth.admin_disabled',
    'http.dependency_unavailable',
  ],
};

const header = (reference: string) => ({ $ref: `#/components/headers/${reference}` });

const HEADERS: Record<string, HeaderObject> = {
  'X-Request-Id': {
    description: 'The id of this request, as in the logs and in a problem’s `instance` (`urn:request:<id>`).',
    required: true,
    schema: { type: 'string' },
  },
  'RateLimit-Policy': {
    description:
      'The tenant’s quota (IETF draft-ietf-httpapi-ratelimit-headers): `"tenant";q=<requests>;w=<seconds>`. ' +
      'Absent when the gateway runs without a rate limit.',
    schema: { type: 'string' },
    example: '"tenant";q=200;w=2',
  },
  RateLimit: {
    description:
      'What this request left of the quota: `"tenant";r=<remaining>;t=<seconds until it is full again>`.',
    schema: { type: 'string' },
    example: '"tenant";r=199;t=1',
  },
  'Retry-After': {
    description: 'Seconds to wait before trying again (RFC 9110 §10.2.3).',
    required: true,
    schema: { type: 'integer', minimum: 0 },
  },
};

const schemesOf = (at: OperationAt) =>
  (at.operation.security ?? []).flatMap((requirement) => Object.keys(requirement));

/** The gateway's rules for completing both documents' answers (see `withProblemResponses`). */
export const GATEWAY_RESPONSE_RULES: ResponseRules = {
  problems: GATEWAY_PROBLEMS,
  componentHeaders: HEADERS,
  impliedCodes(at) {
    const codes = schemesOf(at).flatMap((scheme) => GUARD_CODES[scheme] ?? []);
    if (at.operation.requestBody !== undefined) codes.push('http.malformed_body', 'http.invalid_request');
    const parameters = parametersOf(at.operation, 'path', 'query', 'header');
    if (parameters.length > 0) codes.push('http.invalid_request');
    if (parameters.some((parameter) => parameter.name === 'cursor')) codes.push('http.invalid_cursor');
    return codes;
  },
  uncodedProblems(at): Record<number, string> {
    if (at.operation.requestBody === undefined) return {};
    return {
      413: 'Payload Too Large: the body is over the size limit',
      415: 'Unsupported Media Type: a body must be `application/json`',
    };
  },
  headers(at, status) {
    const headers: Record<string, { $ref: string }> = { 'X-Request-Id': header('X-Request-Id') };
    // The rate limiter answers once the key is known: every tenant answer but an authentication refusal.
    if (schemesOf(at).includes(TENANT_KEY_SCHEME) && status !== 401) {
      headers['RateLimit-Policy'] = header('RateLimit-Policy');
      headers.RateLimit = header('RateLimit');
    }
    // Problems that say when to try again (the probes' 503 is not one).
    if (schemesOf(at).length > 0 && (status === 429 || status === 503)) {
      headers['Retry-After'] = header('Retry-After');
    }
    return headers;
  },
};
