export {
  CONSENT_INPUT_LIMITS,
  CONSENT_RESOURCE_TYPE,
  consentRequestBodySchema,
  isAbsoluteRedirectUrl,
  validateConsentInput,
  type ConsentInput,
  type ConsentInputError,
  type ConsentInputResult,
  type ConsentResourceInput,
  type ConsentRightInput,
} from './domain/consent-input';
export {
  CONSENT_STATUSES,
  expiryTransition,
  statusFromAltinnEventType,
  statusFromAltinnStatus,
  transition,
  type ConsentStatus,
  type ConsentTransition,
} from './domain/consent-status';
export { fingerprintOf } from './domain/fingerprint';
export { tokenEligibility, type TokenEligibility } from './domain/token-eligibility';
export { ConsentModule, ConsentWorkerModule, type ConsentWorkerModuleOptions } from './consent.module';
export {
  ConsentRequestsService,
  type ConsentCaller,
  type ConsentListQuery,
  type ConsentToken,
} from './consent-requests.service';
export { ConsentUpstreamService, type SubmitOutcome } from './consent-upstream.service';
export { CONSENT_READ_SCOPE, CONSENT_WRITE_SCOPE, consentTokenRequest } from './domain/consent-token-request';
export {
  ConsentStatusScheduler,
  DEFAULT_TRACKING,
  type ConsentTrackingOptions,
} from './consent-status.scheduler';
export {
  ConsentError,
  RetryableUpstreamError,
  submissionRefusal,
  type ConsentErrorCode,
} from './consent.errors';
export { type ConsentRequest, type ConsentRight } from './consent-request';
export {
  ConsentRequestRow,
  IdempotencyKeyRow,
  ConsentFeedCursorRow,
  CONSENT_ENTITIES,
} from './consent-request-row.entity';
export { ConsentSweeper, STALE_PENDING_SECONDS } from './consent-sweeper';
export { ConsentJobs } from './consent-jobs';
export { consentJobUpstreams } from './domain/consent-job-upstreams';
export {
  CONSENT_REQUEST_EXAMPLE,
  consentRequestResponseSchema,
  consentTokenResponseSchema,
} from './consent-request.schemas';
