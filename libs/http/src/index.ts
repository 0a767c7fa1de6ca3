export {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPE_BASE,
  problemType,
  jsonPointer,
  type ProblemDocument,
  type ProblemFieldError,
} from './problem';
export {
  RequestValidationError,
  InvalidCursorError,
  MalformedBodyError,
  type CodedError,
  DomainError,
  type HttpErrorCode,
} from './http.errors';
export {
  HTTP_PROBLEMS,
  problemFor,
  type ProblemAnswer,
  type ProblemMapping,
  type ProblemTable,
} from './problem-mapping';
export { ProblemFilter, sendProblem } from './problem.filter';
export { parseRequest, ZodValidationPipe, type RequestPart } from './validation';
export { encodeCursor, decodeCursor, pageOf, type Page } from './cursor';
export { requestIdFor, REQUEST_ID_HEADER } from './request-id';
export {
  jsonSchemaOf,
  pageSchemaOf,
  problemDocumentSchema,
  PROBLEM_SCHEMA_NAME,
  ApiZodBody,
  ApiZodResponse,
  ApiProblems,
  ApiProblemCodes,
  type ZodResponseOptions,
} from './openapi';
export {
  operationsOf,
  parametersOf,
  withProblemResponses,
  type OperationAt,
  type ResponseRules,
} from './openapi-responses';
export { installJsonBodyParser } from './body-parser';
export {
  installSecurityHeaders,
  HTML_CONTENT_SECURITY_POLICY,
  type SecurityHeadersOptions,
} from './security-headers';
export { clientErrorHandler, frameworkErrorHandler } from './framework-errors';
export { ApiZodHeaders, ApiZodParams, ApiZodQuery } from './openapi-parameters';
export { findUnsafeInput } from './unsafe-input';
