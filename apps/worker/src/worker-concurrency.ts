/** Jobs in flight per worker for the queues whose concurrency comes from the config. */
export interface WorkerConcurrency {
  consentCreate: number;
}

export const WORKER_CONCURRENCY = Symbol('WORKER_CONCURRENCY');
