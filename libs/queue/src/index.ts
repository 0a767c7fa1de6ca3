export {
  createRedisConnection,
  redisOptionsFromUrl,
  REDIS_CONNECTION,
  subscriberConnection,
} from './redis-connection';
export { QueueModule, QUEUE_OPTIONS, type QueueModuleOptions } from './queue.module';
export { QueueName, QUEUE_JOB_OPTIONS, type JobPayloads, type ConsentStatusJob } from './queue-names';
export { checkEvictionPolicy, type EvictionPolicyCheck, type EvictionPolicyLogger } from './eviction-policy';
export { JobOutcomes, type JobOutcome } from './job-outcomes';
export {
  DEFAULT_SCHEDULE_KEEPER_INTERVAL_MS,
  keepJobScheduler,
  ScheduleKeeper,
  type KeptWork,
  type RestoreReason,
} from './schedule-keeper';
export {
  BACKLOG_STATES,
  oldestAgeSeconds,
  queueBacklog,
  type BacklogState,
  type QueueBacklog,
} from './queue-backlog';
export { jobIds, schedulerIds } from './domain/job-ids';
export {
  jobName,
  jobOf,
  parseJob,
  type JobData,
  type JobName,
  type JobToAdd,
  type ParsedJob,
  type ParsedPayload,
  type QueueJobs,
} from './job-envelope';
export {
  attemptOf,
  isLastAttempt,
  jobFailureOutcome,
  upstreamFailureOf,
  type FailureSource,
  type JobAttempt,
  type JobFailureOutcome,
  type RetryRules,
  type UpstreamFailure,
} from './domain/job-failure';
export { delayJob, QUEUE_RETRY_RULES, settleJob } from './job-settlement';
