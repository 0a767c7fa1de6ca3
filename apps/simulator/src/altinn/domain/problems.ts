// Altinn's problem details (upstream-contract §2 "Errors"): the codes, statuses and titles of the descriptors
// Altinn.Authorization declares for consent (Problems / ValidationErrors) and the standard ones of its
// ProblemDetails library (STD-00000 validation, STD-00001 multiple problems).

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
  invalidValue: { code: 'STD.VLD-00002', title: 'The value provided is invalid.' },
  jsonError: {
    code: 'STD.VLD-00017',
    title:
      'The JSON value failed to deserialize. Check the JSON format and ensure that the property names match the expected model.',
  },
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
  /** JSON pointers into the request (`/$QUERY/<name>` for query parameters). */
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
 * STD-00001 problem (HTTP 500, upstream-contract §2) that lists them.
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
 * The JSON body Altinn writes (`application/problem+json`): `type`, `title`, `status`, `detail`, `code`,
 * `traceId`, then `validationErrors` / `problems` / the extension members at the top level.
 */
export function renderProblem(problem: Problem, traceId: string): Record<string, unknown> {
  const descriptor =
    problem.kind === 'single'
      ? problem.descriptor
      : problem.kind === 'validation'
        ? PROBLEMS.validation
        : PROBLEMS.multiple;
  const body: Record<string, unknown> = {
    type: `urn:altinn:error:${descriptor.code}`,
    title: descriptor.title,
    status: descriptor.status,
    detail: descriptor.title,
    code: descriptor.code,
    traceId,
  };
  switch (problem.kind) {
    case 'single':
      return { ...body, ...problem.extensions };
    case 'validation':
      return {
        ...body,
        validationErrors: problem.errors.map((error) => ({
          code: error.descriptor.code,
          title: error.descriptor.title,
          paths: error.paths,
          ...(error.detail === undefined ? {} : { detail: error.detail }),
        })),
      };
    case 'multiple':
      return { ...body, problems: problem.problems.map((inner) => renderProblem(inner, traceId)) };
  }
}
