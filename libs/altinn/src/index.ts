export { AltinnError, type AltinnErrorCode, type AltinnErrorDetails } from './altinn.errors';
export {
  AltinnConsentClient,
  CONSENT_REQUESTS_PATH,
  type AltinnClientOptions,
  type CreateConsentResult,
} from './consent-client';
export {
  ALTINN_CONSENT_STATUSES,
  ALTINN_EVENT_TYPES,
  type AltinnConsentEvent,
  type AltinnConsentRequestDetails,
  type AltinnConsentRight,
  type AltinnConsentStatus,
  type AltinnEventType,
} from './domain/consent-details';
export { CONSENT_RESOURCE_TYPE, type AltinnCreateConsentRequest } from './domain/create-request';
export {
  ALTINN_FEED_FILTER_EVENT_TYPES,
  type AltinnFeedEvent,
  type AltinnFeedFilterEventType,
  type AltinnFeedPage,
  type AltinnFeedQuery,
} from './domain/event-feed';
export { MAX_RETRY_AFTER_MS } from './domain/retry-after';
export {
  gatewayPointer,
  problemWithoutRequestValues,
  UNHANDLED_EXCEPTION_RETRIES,
  type AltinnProblem,
  type AltinnValidationError,
} from './domain/problem';
