import { type Job, type JobsOptions, type JobState, type Queue } from 'bullmq';
import { type JobOutcome, type JobOutcomes } from '@gw/queue';

/** A job as the fake queue keeps it; `state` moves as a worker or the queue's own API moves it. */
export class FakeJob<Data = unknown> {
  state: JobState = 'waiting';

  constructor(
    readonly queueName: string,
    readonly id: string,
    readonly name: string,
    readonly data: Data,
    readonly opts: JobsOptions,
    private readonly queue: FakeQueue<Data>,
  ) {}

  getState(): Promise<JobState | 'unknown'> {
    return Promise.resolve(this.state);
  }

  promote(): Promise<void> {
    this.state = 'waiting';
    return Promise.resolve();
  }

  retry(): Promise<void> {
    this.state = 'waiting';
    return Promise.resolve();
  }

  remove(): Promise<void> {
    this.queue.forget(this.id);
    return Promise.resolve();
  }

  asJob(): Job<Data> {
    return this as unknown as Job<Data>;
  }
}

/**
 * A BullMQ queue in memory, as far as services use one: `add` with BullMQ's rule that a job id already
 * present returns the existing job instead of adding a second; ids counted up otherwise. `unavailable`
 * stands for Redis being down: every command fails and nothing is added.
 */
export class FakeQueue<Data = unknown> {
  private readonly byId = new Map<string, FakeJob<Data>>();
  private counter = 0;
  unavailable = false;
  /** Redis accepts the connection but never answers: `add` stays pending. */
  unresponsive = false;

  constructor(readonly name: string) {}

  /** Every job the queue holds now, in the order they were added. */
  get jobs(): FakeJob<Data>[] {
    return [...this.byId.values()];
  }

  add(name: string, data: Data, opts: JobsOptions = {}): Promise<FakeJob<Data>> {
    if (this.unavailable) return Promise.reject(new Error('Connection is closed.'));
    if (this.unresponsive) return new Promise<never>(() => undefined);
    return Promise.resolve(this.put(name, data, opts));
  }

  addBulk(jobs: { name: string; data: Data; opts?: JobsOptions }[]): Promise<FakeJob<Data>[]> {
    if (this.unavailable) return Promise.reject(new Error('Connection is closed.'));
    return Promise.resolve(jobs.map((job) => this.put(job.name, job.data, job.opts ?? {})));
  }

  getJob(id: string): Promise<FakeJob<Data> | undefined> {
    if (this.unavailable) return Promise.reject(new Error('Connection is closed.'));
    return Promise.resolve(this.byId.get(id));
  }

  getJobState(id: string): Promise<JobState | 'unknown'> {
    if (this.unavailable) return Promise.reject(new Error('Connection is closed.'));
    return Promise.resolve(this.byId.get(id)?.state ?? 'unknown');
  }

  /** The job leaves the queue (removed on completion, or lost with Redis's data). */
  forget(id: string): void {
    this.byId.delete(id);
  }

  asQueue(): Queue<Data> {
    return this as unknown as Queue<Data>;
  }

  private put(name: string, data: Data, opts: JobsOptions): FakeJob<Data> {
    const existing = opts.jobId === undefined ? undefined : this.byId.get(opts.jobId);
    if (existing) return existing;
    this.counter += 1;
    const job = new FakeJob(this.name, opts.jobId ?? String(this.counter), name, data, opts, this);
    this.byId.set(job.id, job);
    return job;
  }
}

/** What a worker does with a job of a queue while someone waits for it; its answer is the wait's. */
export type FakeWorker = (job: FakeJob) => Promise<JobOutcome> | JobOutcome;

/**
 * Waiting for jobs another process runs: a wait runs the queue's fake worker on the job (and marks it
 * completed or failed by the outcome); a queue without a worker times out, as when no worker is up.
 */
export class FakeJobOutcomes implements Pick<JobOutcomes, 'waitFor'> {
  private readonly workers = new Map<string, FakeWorker>();

  /** Runs `worker` for the queue's jobs from now on. */
  work(queueName: string, worker: FakeWorker): this {
    this.workers.set(queueName, worker);
    return this;
  }

  async waitFor(job: Job): Promise<JobOutcome> {
    const fake = job as unknown as FakeJob;
    const worker = this.workers.get(fake.queueName);
    if (!worker) return { kind: 'timed_out' };
    const outcome = await worker(fake);
    if (outcome.kind === 'finished') fake.state = 'completed';
    if (outcome.kind === 'failed') fake.state = 'failed';
    return outcome;
  }

  asJobOutcomes(): JobOutcomes {
    return this as unknown as JobOutcomes;
  }
}

/**
 * A job as a worker runs it, written by hand: its name, payload and attempts, and the re-delays
 * (`moveToDelayed`) it is asked for, in `delays`.
 */
export function runningJob(fields: {
  id?: string;
  name: string;
  data: unknown;
  attemptsMade: number;
  attemptsStarted?: number;
  attempts?: number;
}): { job: Job; delays: { at: number; token?: string }[] } {
  const delays: { at: number; token?: string }[] = [];
  const job = {
    id: fields.id ?? '1',
    name: fields.name,
    data: fields.data,
    opts: { attempts: fields.attempts ?? 8 },
    attemptsMade: fields.attemptsMade,
    attemptsStarted: fields.attemptsStarted ?? fields.attemptsMade + 1,
    moveToDelayed: (at: number, token?: string) => {
      delays.push({ at, token });
      return Promise.resolve();
    },
  };
  return { job: job as unknown as Job, delays };
}
