import { type AltinnErrorCode } from '../altinn.errors';

/** One entry of a STD-00000 problem's `validationErrors`. */
export interface AltinnValidationError {
  /** e.g. `AM.VLD-00022` (time not in the future), `STD.VLD-00000` (required). */
  code: string;
  title?: string;
  detail?: string;
  /** JSON pointers into the request, e.g. `/consentRights/0/action` or `/$QUERY/eventType`. */
  paths: string[];
}

/**
 * Altinn's problem details (upstream-contract §2 "Errors", an RFC 7807 variant), read tolerantly.
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
  const code = text(members.get('code'));
  if (code === undefined) return undefined;
  const paths = members.get('paths');
  return {
    code,
    title: text(members.get('title')),
    detail: text(members.get('detail')),
    paths: Array.isArray(paths) ? paths.filter((path): path is string => typeof path === 'string') : [],
  };
}

/** The problem in a response body; undefined when the body is none (empty, HTML, no `code`/`type`). */
export function parseProblem(body: unknown): AltinnProblem | undefined {
  if (!isRecord(body)) return undefined;
  const members = byLowerName(body);
  const code = text(members.get('code'));
  const type = text(members.get('type'));
  if (code === undefined && type === undefined) return undefined;
  const status = members.get('status');
  const validationErrors = members.get('validationerrors');
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
    validationErrors: Array.isArray(validationErrors)
      ? validationErrors.map(parseValidationError).filter((error) => error !== undefined)
      : [],
    problems: Array.isArray(problems)
      ? problems.map(parseProblem).filter((problem) => problem !== undefined)
      : [],
    extensions,
  };
}

export interface FailureClass {
  code: AltinnErrorCode;
  problem?: AltinnProblem;
}

/**
 * What a non-success answer means (upstream-contract §2). 4xx are permanent: the same request gets the
 * same answer. 5xx are retryable, except STD-00001: Altinn reports several 4xx problems together as HTTP
 * 500, and those do not go away by asking again. A 5xx STD-00001 without a list of 4xx problems (a proxy's
 * or a fault's body reusing the code) stays retryable.
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
    return withProblem(listsOnlyClientProblems ? 'altinn.validation_failed' : 'altinn.unavailable');
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
