// Altinn's problem details (docs/upstream-contract.md#problem-details): the codes, statuses and texts of the
// descriptors Altinn declares for consent (src/libs/Altinn.Authorization.Api.Contracts/…/Errors/Problems.cs
// and ValidationErrors.cs in Altinn/altinn-authorization-tmp) and the standard ones of its ProblemDetails
// library (STD-00000 validation, STD-00001 multiple problems). `title` below is the descriptor's text, which
// Altinn writes as `detail`.

export interface ProblemDescriptor {
  code: string;
  status: number;
  title: string;
}

export interface ValidationErrorDescriptor {
  code: string;
  title: string;
}

export const PROBLEMS = {
  notAuthorizedForConsentRequest: { code: 'AM-00000', status: 403, title: 'Not authorized for consent' },
  consentNotFound: { code: 'AM-00001', status: 404, title: 'Consent not found' },
  unknownOrganization: { code: 'AM-00003', status: 400, title: 'Unknown organization. Could not be found' },
  unknownPerson: { code: 'AM-00004', status: 400, title: 'Unknown person. Could not be found' },
  invalidConsentResource: { code: 'AM-00005', status: 400, title: 'Invalid consent resource' },
  unknownConsentMetadata: { code: 'AM-00006', status: 400, title: 'Invalid consent metadata' },
  missingMetadataValue: { code: 'AM-00007', status: 400, title: 'Missing metadata value' },
  missingMetadata: { code: 'AM-00008', status: 400, title: 'Missing metadata' },
  invalidResourceCombination: { code: 'AM-00009', status: 400, title: 'Invalid resource combination' },
  consentWithIdAlreadyExists: { code: 'AM-00016', status: 400, title: 'Consent with id already exist' },
  validation: { code: 'STD-00000', status: 400, title: 'One or more validation errors occurred.' },
  multiple: { code: 'STD-00001', status: 500, title: 'Multiple problems occurred.' },
} as const satisfies Record<string, ProblemDescriptor>;

export const VALIDATION_ERRORS = {
  required: { code: 'STD.VLD-00000', title: 'The field is required.' },
  timeNotInFuture: { code: 'AM.VLD-00022', title: 'The time need to be in the future' },
  emptyList: { code: 'AM.VLD-00023', title: 'The list cant be empty' },
  invalidRedirectUrl: { code: 'AM.VLD-00027', title: 'Redirect URL is not a valid URL' },
  invalidDateRange: { code: 'AM.VLD-00051', title: "'createdAfter' must be earlier than 'createdBefore'." },
  invalidEventType: {
    code: 'AM.VLD-00052',
    title:
      'One or more event types are invalid. Valid values are: rejected, accepted, revoked, deleted, used.',
  },
  invalidContinuationToken: { code: 'AM.VLD-00053', title: 'The continuation token is invalid.' },
} as const satisfies Record<string, ValidationErrorDescriptor>;

export interface ValidationError {
  descriptor: ValidationErrorDescriptor;
  /** As Altinn writes them: a model name (`ValidTo`, `Resource`), `/consentRight/<i>/action`, `$QUERY/<name>`. */
  paths: string[];
  detail?: string;
}

export type Problem =
  | { kind: 'single'; descriptor: ProblemDescriptor; extensions: Record<string, string> }
  | { kind: 'validation'; errors: ValidationError[] }
  | { kind: 'multiple'; problems: Problem[] };

export function problem(descriptor: ProblemDescriptor, extensions: Record<string, string> = {}): Problem {
  return { kind: 'single', descriptor, extensions };
}

export function validationError(
  descriptor: ValidationErrorDescriptor,
  path: string,
  detail?: string,
): ValidationError {
  return detail === undefined ? { descriptor, paths: [path] } : { descriptor, paths: [path], detail };
}

export function validationProblem(errors: ValidationError[]): Problem {
  return { kind: 'validation', errors };
}

/**
 * Altinn's MultipleProblemBuilder: no problem → undefined; one → that problem as it is; more → one
 * STD-00001 problem (HTTP 500, docs/upstream-contract.md §2) that lists them.
 */
export function combineProblems(problems: Problem[]): Problem | undefined {
  if (problems.length === 0) return undefined;
  if (problems.length === 1) return problems[0];
  return { kind: 'multiple', problems };
}

export function problemStatus(problem: Problem): number {
  switch (problem.kind) {
    case 'single':
      return problem.descriptor.status;
    case 'validation':
      return PROBLEMS.validation.status;
    case 'multiple':
      return PROBLEMS.multiple.status;
  }
}

/**
 * What ASP.NET fills into a problem that names neither `type` nor `title` (`ProblemDetailsDefaults` in
 * dotnet/aspnetcore, src/Shared/ProblemDetails/ProblemDetailsDefaults.cs): an RFC 9110 section and the
 * status's reason phrase. Altinn's problems pass through it (see `renderProblem`), and so do the framework's
 * own answers (the errors map of model binding, the 500 of an unhandled exception).
 */
const STATUS_DEFAULTS: Record<number, { type: string; title: string }> = {
  400: { type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1', title: 'Bad Request' },
  401: { type: 'https://tools.ietf.org/html/rfc9110#section-15.5.2', title: 'Unauthorized' },
  403: { type: 'https://tools.ietf.org/html/rfc9110#section-15.5.4', title: 'Forbidden' },
  404: { type: 'https://tools.ietf.org/html/rfc9110#section-15.5.5', title: 'Not Found' },
  409: { type: 'https://tools.ietf.org/html/rfc9110#section-15.5.10', title: 'Conflict' },
  500: {
    type: 'https://tools.ietf.org/html/rfc9110#section-15.6.1',
    title: 'An error occurred while processing your request.',
  },
  502: { type: 'https://tools.ietf.org/html/rfc9110#section-15.6.3', title: 'Bad Gateway' },
  503: { type: 'https://tools.ietf.org/html/rfc9110#section-15.6.4', title: 'Service Unavailable' },
  504: { type: 'https://tools.ietf.org/html/rfc9110#section-15.6.5', title: 'Gateway Timeout' },
};

/** `type` and `title` as ASP.NET defaults them for a status (none for a status it has no entry for). */
export function statusDefaults(status: number): { type?: string; title?: string } {
  return STATUS_DEFAULTS[status] ?? {};
}

/**
 * ASP.NET's answer to an unhandled exception (Altinn's error endpoint calls `Problem()`): the defaults of 500
 * and a trace id, no `code` and no `detail`.
 */
export function renderUnhandledException(traceId: string): Record<string, unknown> {
  return { ...statusDefaults(500), status: 500, traceId };
}

/**
 * ASP.NET's answer when a body or query does not bind ([ApiController]'s automatic 400): the members named
 * by their JSON path (`$.validTo`) or model name (`RedirectUrl`, `consentRequest`), each with its messages;
 * no `code`.
 */
export function renderModelStateProblem(
  errors: Record<string, string[]>,
  traceId: string,
): Record<string, unknown> {
  return {
    type: STATUS_DEFAULTS[400].type,
    title: 'One or more validation errors occurred.',
    status: 400,
    errors,
    traceId,
  };
}

/**
 * One problem as Altinn.Authorization.ProblemDetails 4.0.1 builds it (AltinnProblemDetails and its
 * validation/multiple variants in Altinn/altinn-authorization-utils): `status`, `detail` (the descriptor's
 * text), `code`, then `validationErrors` (`{code, detail, paths}`) or `problems`, then the extensions as
 * top-level members. The library sets no `type` and no `title`; the inner problems of STD-00001 keep it so.
 */
function renderProblemMembers(problem: Problem): Record<string, unknown> {
  switch (problem.kind) {
    case 'single': {
      const { status, title: detail, code } = problem.descriptor;
      return { status, detail, code, ...problem.extensions };
    }
    case 'validation':
      return {
        status: PROBLEMS.validation.status,
        detail: PROBLEMS.validation.title,
        code: PROBLEMS.validation.code,
        validationErrors: problem.errors.map((error) => ({
          code: error.descriptor.code,
          detail: error.detail ?? error.descriptor.title,
          paths: error.paths,
        })),
      };
    case 'multiple':
      return {
        status: PROBLEMS.multiple.status,
        detail: PROBLEMS.multiple.title,
        code: PROBLEMS.multiple.code,
        problems: problem.problems.map(renderProblemMembers),
      };
  }
}

/**
 * The JSON body Altinn writes (`application/problem+json`). The outermost problem goes out through
 * `TypedResults.Problem` (the library's ProblemDetailsActionResult), whose ProblemHttpResult fills the
 * status's `type` and `title` (see `STATUS_DEFAULTS`): `title` is "Bad Request", never the descriptor's
 * text, which is in `detail`. No trace id: the library adds none. Altinn's own docs show this shape
 * (docs.altinn.studio, Notifications API "Error Codes").
 */
export function renderProblem(problem: Problem): Record<string, unknown> {
  return { ...statusDefaults(problemStatus(problem)), ...renderProblemMembers(problem) };
}
