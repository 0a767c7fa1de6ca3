import {
  type HeaderObject,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type ResponseObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { jsonSchemaOf, PROBLEM_CODES_EXTENSION, PROBLEM_SCHEMA_NAME, problemDocumentSchema } from './openapi';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { type ProblemTable } from './problem-mapping';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

type Headers = Record<string, HeaderObject | ReferenceObject>;

/** An operation of a document with where it is. */
export interface OperationAt {
  path: string;
  method: string;
  operation: OperationObject;
}

/** What the gateway adds to each operation's answers beyond what its decorators say. */
export interface ResponseRules {
  /** Code → status and title (the gateway's problem table). */
  problems: ProblemTable<string>;
  /** Codes an operation may answer with that follow from what it is (its guard, body, parameters). */
  impliedCodes(at: OperationAt): readonly string[];
  /** Problem answers without a code (Fastify's own, e.g. 415), by status and description. */
  uncodedProblems?(at: OperationAt): Readonly<Record<number, string>>;
  /** Headers of one answer (rate-limit fields, Retry-After, the request id). */
  headers(at: OperationAt, status: number): Headers;
  /** Reusable headers the `headers` rule refers to, for `components.headers`. */
  componentHeaders?: Record<string, HeaderObject>;
}

/** The operations of a document, path by path. */
export function operationsOf(document: OpenAPIObject): OperationAt[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = (item as Record<string, OperationObject | undefined>)[method];
      return operation === undefined ? [] : [{ path, method, operation }];
    }),
  );
}

/** The path and query parameters an operation documents (references are the gateway's own, and absent). */
export function parametersOf(
  operation: OperationObject,
  ...places: ParameterObject['in'][]
): ParameterObject[] {
  return (operation.parameters ?? []).filter(
    (parameter): parameter is ParameterObject => 'in' in parameter && places.includes(parameter.in),
  );
}

/**
 * Completes a document's answers: the problem document as a component; per operation one
 * `application/problem+json` answer per status, its `code` an enum of the codes the operation may answer
 * with (those ApiProblemCodes recorded and those `rules` imply), status and title from the problem table;
 * and the headers `rules` give on every answer.
 */
export function withProblemResponses(document: OpenAPIObject, rules: ResponseRules): OpenAPIObject {
  const completed = structuredClone(document);
  completed.components = {
    ...completed.components,
    schemas: {
      ...completed.components?.schemas,
      [PROBLEM_SCHEMA_NAME]: jsonSchemaOf(problemDocumentSchema, 'output'),
    },
    headers: { ...completed.components?.headers, ...rules.componentHeaders },
  };
  for (const at of operationsOf(completed)) {
    const { operation } = at;
    const extensions = operation as unknown as Record<string, unknown>;
    const declared = (extensions[PROBLEM_CODES_EXTENSION] ?? []) as string[];
    delete extensions[PROBLEM_CODES_EXTENSION];
    const codes = [...new Set([...declared, ...rules.impliedCodes(at)])];
    const byStatus = new Map<number, string[]>();
    for (const code of codes) {
      const row = rules.problems[code];
      if (row === undefined)
        throw new Error(`${at.method.toUpperCase()} ${at.path}: no problem row for ${code}`);
      byStatus.set(row.status, [...(byStatus.get(row.status) ?? []), code]);
    }
    const responses = operation.responses as Record<string, ResponseObject>;
    for (const [status, description] of Object.entries(rules.uncodedProblems?.(at) ?? {})) {
      responses[status] ??= problemResponse(description, []);
    }
    for (const [status, statusCodes] of byStatus) {
      const titles = statusCodes.map((code) => `\`${code}\` ${rules.problems[code].title}`).join('; ');
      responses[String(status)] = problemResponse(titles, statusCodes.sort());
    }
    for (const [status, response] of Object.entries(responses)) {
      const headers = rules.headers(at, Number(status));
      if (Object.keys(headers).length > 0) response.headers = { ...response.headers, ...headers };
    }
    operation.responses = Object.fromEntries(
      Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)),
    );
  }
  return completed;
}

function problemResponse(description: string, codes: string[]): ResponseObject {
  const problem = { $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}` };
  const schema =
    codes.length === 0
      ? problem
      : { allOf: [problem, { type: 'object', properties: { code: { type: 'string', enum: codes } } }] };
  return {
    description: `Problem details (RFC 9457): ${description}`,
    content: { [PROBLEM_CONTENT_TYPE]: { schema } },
  };
}
