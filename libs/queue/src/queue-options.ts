export interface QueueModuleOptions {
  redisUrl: string;
  /** BullMQ key prefix; wrap it in {braces} on Redis Cluster so a queue's keys share a slot. */
  prefix: string;
  /** How often the schedule keeper checks that Redis still has the job schedulers (default 5 s). */
  scheduleKeeperIntervalMs?: number;
}

export const QUEUE_OPTIONS = Symbol('QUEUE_OPTIONS');
