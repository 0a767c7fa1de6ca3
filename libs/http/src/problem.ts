/** One bad input: where it is (RFC 6901 JSON pointer into the body or the parameter object) and why. */
export interface ProblemFieldError {
  pointer: string;
  detail: string;
  /** Set for query and path parameters, whose pointer is relative to the parameter object. */
  parameter?: string;
}

/** An RFC 9457 problem details object as the gateway writes it. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Correlates the answer with the logs (the request id). */
  instance?: string;
  /** The stable domain code, e.g. `tenants.duplicate_org_number`. */
  code?: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Base of the `type` URIs; a code `a.b_c` becomes `<base>a/b-c`. */
export const PROBLEM_TYPE_BASE = 'https://samtykke-gateway.dev/problems/';

/** The `type` URI of a code: stable as long as the code is. */
export function problemType(code: string): string {
  return `${PROBLEM_TYPE_BASE}${code.replace(/\./g, '/').replace(/_/g, '-')}`;
}

/** RFC 6901: `~` → `~0`, `/` → `~1`; the empty path is the whole document (`""`). */
export function jsonPointer(path: readonly PropertyKey[]): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
