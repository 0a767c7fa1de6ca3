import { type AltinnErrorCode } from '../altinn.errors';

/**
 * One entry of a STD-00000 problem's `validationErrors` (`errors` in some versions of
 * Altinn.Authorization.ProblemDetails), or one field of ASP.NET's model-binding `errors` map.
 */
export interface AltinnValidationError {
  /** e.g. `AM.VLD-00022` (time not in the future), `STD.VLD-00000` (required); none from ASP.NET's binder. */
  code?: string;
  title?: string;
  detail?: string;
  /**
   * The fields, as JSON pointers into the gateway's request where the mapping is clear (`/validTo` for
   * Altinn's `ValidTo` or ASP.NET's `$.validTo`, `/consentRights/0/action` for `/consentRight/0/action`);
   * otherwise as Altinn wrote them (`Resource`, `/$QUERY/eventType`).
   */
  paths: string[];
}

/**
 * Altinn's problem details (docs/upstream-contract.md §2 "Errors", an RFC 7807 variant), read tolerantly.
 * `extensions` holds the other members (`requestId` of AM-00016, `key` of AM-00006/8); they may name
 * request values, so keep them out of log messages.
 */
export interface AltinnProblem {
  /** `urn:altinn:error:<code>`. */
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  /** e.g. `AM-00005`, `STD-00000`, `STD-00001`. */
  code?: string;
  traceId?: string;
  validationErrors: AltinnValidationError[];
  /** The problems a STD-00001 lists. */
  problems: AltinnProblem[];
  extensions: Record<string, unknown>;
}

const KNOWN_MEMBERS = new Set([
  'type',
  'title',
  'status',
  'detail',
  'code',
  'traceid',
  'validationerrors',
  'errors',
  'problems',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Members by lower-cased name, the first spelling winning, as ASP.NET would bind them. */
function byLowerName(record: Record<string, unknown>): Map<string, unknown> {
  const members = new Map<string, unknown>();
  for (const [key, value] of Object.entries(record)) {
    if (!members.has(key.toLowerCase())) members.set(key.toLowerCase(), value);
  }
  return members;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function parseValidationError(value: unknown): AltinnValidationError | undefined {
  if (!isRecord(value)) return undefined;
  const members = byLowerName(value);
  const code = text(members.get('code')) ?? text(members.get('errorcode'));
  const paths = members.get('paths');
  const detail = text(members.get('detail'));
  if (code === undefined && detail === undefined) return undefined;
  return {
    ...(code === undefined ? {} : { code }),
    title: text(members.get('title')),
    detail,
    paths: Array.isArray(paths)
      ? paths.filter((path): path is string => typeof path === 'string').map(gatewayPointer)
      : [],
  };
}

/**
 * ASP.NET's model-binding 400 (`ValidationProblemDetails`): `errors` maps a field (`$.validTo`,
 * `ValidTo`) to its messages. The messages name types and positions, not values
 * (System.Text.Json's "could not be converted to System.DateTimeOffset. Path: $.validTo …").
 */
function bindingErrors(errors: Record<string, unknown>): AltinnValidationError[] {
  return Object.entries(errors).map(([field, messages]) => {
    const texts = Array.isArray(messages)
      ? messages.filter((message): message is string => typeof message === 'string')
      : typeof messages === 'string'
        ? [messages]
        : [];
    return {
      detail: texts.length === 0 ? undefined : texts.join(' '),
      paths: [gatewayPointer(field)],
    };
  });
}

function validationErrorsOf(members: Map<string, unknown>): AltinnValidationError[] {
  const listed = members.get('validationerrors');
  const errors = members.get('errors');
  const list = Array.isArray(listed) ? listed : Array.isArray(errors) ? errors : [];
  const parsed = list.map(parseValidationError).filter((error) => error !== undefined);
  if (parsed.length === 0 && isRecord(errors)) return bindingErrors(errors);
  return parsed;
}

/** The gateway's own names of the request's members (its JSON uses Altinn's, camel-cased). */
const SEGMENT_NAMES: Record<string, string> = {
  consentright: 'consentRights',
  consentrights: 'consentRights',
  validto: 'validTo',
  redirecturl: 'redirectUrl',
  requestmessage: 'requestMessage',
  requireddelegator: 'requiredDelegator',
  portalviewmode: 'portalViewMode',
};
/** Members that sit at the top of the request: a bare `ValidTo` can only mean `/validTo`. */
const TOP_LEVEL = new Set([
  'id',
  'from',
  'to',
  'validTo',
  'consentRights',
  'requestMessage',
  'redirectUrl',
  'requiredDelegator',
  'portalViewMode',
]);

function segmentName(segment: string): string {
  if (/^\d+$/.test(segment)) return segment;
  return SEGMENT_NAMES[segment.toLowerCase()] ?? segment.charAt(0).toLowerCase() + segment.slice(1);
}

/**
 * A field as Altinn or ASP.NET names it, as a JSON pointer into the gateway's request where that is
 * clear: `$.consentRights[0].action` and `ConsentRights[0].Action` → `/consentRights/0/action`,
 * `/consentRight/0/action` → `/consentRights/0/action`, `ValidTo` → `/validTo`. A bare name that is not
 * a top-level member (`Resource`: of which right?) and pointers outside the body (`/$QUERY/…`) stay as
 * they are.
 */
export function gatewayPointer(path: string): string {
  // ASP.NET's `$` is the body itself: RFC 6901's empty pointer.
  if (path === '$') return '';
  if (path.startsWith('/')) {
    if (path.startsWith('/$')) return path;
    return path
      .split('/')
      .map((segment, index) => (index === 0 ? segment : segmentName(segment)))
      .join('/');
  }
  const rest = path.startsWith('$') ? path.slice(1) : path;
  const segments = rest.match(/[^.[\]]+/g);
  if (segments === null || !/^(\$|\$?\.?[A-Za-z_][\w]*)(\.[A-Za-z_]\w*|\[\d+\])*$/.test(path)) return path;
  const names = segments.map(segmentName);
  if (!path.startsWith('$') && names.length === 1 && !TOP_LEVEL.has(names[0])) return path;
  return `/${names.join('/')}`;
}

/** The problem in a response body; undefined when the body is none (empty, HTML, no `code`/`type`). */
export function parseProblem(body: unknown): AltinnProblem | undefined {
  if (!isRecord(body)) return undefined;
  const members = byLowerName(body);
  const code = text(members.get('code'));
  const type = text(members.get('type'));
  if (code === undefined && type === undefined) return undefined;
  const status = members.get('status');
  const problems = members.get('problems');
  const extensions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!KNOWN_MEMBERS.has(key.toLowerCase())) extensions[key] = value;
  }
  return {
    type,
    title: text(members.get('title')),
    status: typeof status === 'number' ? status : undefined,
    detail: text(members.get('detail')),
    // ASP.NET's own problems (e.g. an unhandled 500) have no `code`: fall back to `urn:altinn:error:<code>`.
    code: code ?? type?.match(/^urn:altinn:error:(.+)$/)?.[1],
    traceId: text(members.get('traceid')),
    validationErrors: validationErrorsOf(members),
    problems: Array.isArray(problems)
      ? problems.map(parseProblem).filter((problem) => problem !== undefined)
      : [],
    extensions,
  };
}

export interface FailureClass {
  code: AltinnErrorCode;
  problem?: AltinnProblem;
  /** Retries worth making at most, when fewer than the queue's own budget (the answer came from Altinn's code). */
  maxRetries?: number;
}

/**
 * Retries of a 500 without Altinn's `code`: ASP.NET's answer to an unhandled exception. Altinn is up and
 * crashed on this request; the same request will most likely crash it again, so a couple of tries cover a
 * passing fault and then the request fails with Altinn's text instead of retrying as if Altinn were down.
 */
export const UNHANDLED_EXCEPTION_RETRIES = 2;

/**
 * What a non-success answer means (docs/upstream-contract.md §2). 4xx are permanent: the same request gets
 * the same answer. 5xx are retryable, except STD-00001: Altinn reports several 4xx problems together as HTTP
 * 500, and those do not go away by asking again. A 5xx STD-00001 without a list of 4xx problems (a proxy's
 * or a fault's body reusing the code) stays retryable. A 500 without a code is retried only
 * {@link UNHANDLED_EXCEPTION_RETRIES} times. Any answer listing field errors — Altinn's
 * `validationErrors`/`errors` or ASP.NET's model-binding `errors` map — is a validation failure.
 */
export function classifyFailure(status: number, body: unknown): FailureClass {
  const problem = parseProblem(body);
  const withProblem = (code: AltinnErrorCode): FailureClass =>
    problem === undefined ? { code } : { code, problem };
  if (status === 401) return withProblem('altinn.unauthorized');
  if (status === 403) return withProblem('altinn.forbidden');
  if (status === 408 || status === 429) return withProblem('altinn.unavailable');
  if (status >= 500) {
    const listsOnlyClientProblems =
      problem?.code === 'STD-00001' &&
      problem.problems.length > 0 &&
      problem.problems.every((inner) => inner.status === undefined || inner.status < 500);
    if (listsOnlyClientProblems) return withProblem('altinn.validation_failed');
    if (status === 500 && problem?.code === undefined) {
      return { ...withProblem('altinn.unavailable'), maxRetries: UNHANDLED_EXCEPTION_RETRIES };
    }
    return withProblem('altinn.unavailable');
  }
  if (status >= 400 && problem !== undefined && problem.validationErrors.length > 0) {
    return withProblem('altinn.validation_failed');
  }
  if (status >= 400 && problem?.code !== undefined) {
    if (status === 404) {
      return withProblem(problem.code === 'AM-00001' ? 'altinn.not_found' : 'altinn.upstream_error');
    }
    if (problem.code === 'AM-00016') return withProblem('altinn.id_conflict');
    if (problem.code === 'STD-00000') return withProblem('altinn.validation_failed');
    return withProblem('altinn.request_refused');
  }
  // 404 without a problem matched no route (a wrong base URL or path), 415, redirects, other oddities.
  return withProblem('altinn.upstream_error');
}

/**
 * The problem without its extension members, which may repeat request values (AM-00004 names the person
 * in `fnumber`): what may be kept with a request and shown to its tenant.
 */
export function problemWithoutRequestValues(problem: AltinnProblem): AltinnProblem {
  return {
    ...problem,
    problems: problem.problems.map(problemWithoutRequestValues),
    extensions: {},
  };
}
