import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { type Queue } from 'bullmq';
import type Redis from 'ioredis';
import { QUEUE_OPTIONS, type QueueModuleOptions } from './queue-options';
import { REDIS_CONNECTION } from './redis-connection';

export const DEFAULT_SCHEDULE_KEEPER_INTERVAL_MS = 5_000;

/** A worker that dies while restoring holds the lock this long; then another worker restores. */
const RESTORE_LOCK_MS = 300_000;

/**
 * Why `restore` runs: `start` once per worker start (cheap checks only: a crash may have lost a job or
 * two), `lost` once Redis has lost its data (restarted without persistence, flushed) — every job that
 * lived only in Redis must come back from Postgres.
 */
export type RestoreReason = 'start' | 'lost';

/** What one lib hands the keeper. Both callbacks must be idempotent: several workers may run them. */
export interface KeptWork {
  /** Names the work in logs. */
  name: string;
  /**
   * Makes sure the lib's job schedulers exist; true when one was missing and was created. Runs on
   * every tick of every worker, so it must cost a command or two, never one per consent or delivery.
   */
  ensure?(): Promise<boolean>;
  /** Puts back, from Postgres, the jobs that lived only in Redis. */
  restore?(reason: RestoreReason, signal: AbortSignal): Promise<void>;
}

interface Entry {
  work: KeptWork;
  /** Its `start` restore has run. */
  started: boolean;
  /** Its schedulers were ensured once (creating them then is no news). */
  ensured: boolean;
}

// The lock is taken only while the marker is missing: a worker that noticed the loss just before
// another finished restoring must not restore a second time.
const ACQUIRE_RESTORE = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
return 0`;
// The marker is set only while this worker's lock still stands: a lock that vanished during the
// restore means Redis lost its data once more, and the next tick must restore again.
const FINISH_RESTORE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[1])
return 1`;
const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Keeps the job schedulers (the relay, the pending sweep, the feed pollers) and the jobs that exist only
 * in Redis alive across a Redis that comes back empty. BullMQ creates a scheduler once, when asked; a
 * Redis restarted without its data, or flushed, has none, and nothing would ask again until a worker
 * restarted. So the keeper asks every lib that registered to ensure its schedulers on a local timer and
 * whenever the connection is ready again, and notices lost data by a marker key that only a flush or
 * an empty restart removes: then one worker (a lock decides) has every lib restore its jobs from Postgres.
 *
 * Register in `onModuleInit`; the keeper starts at bootstrap. A process that registers nothing (the
 * gateway) sends no command at all.
 */
@Injectable()
export class ScheduleKeeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ScheduleKeeper.name);
  private readonly entries: Entry[] = [];
  private readonly stopping = new AbortController();
  private readonly intervalMs: number;
  private readonly markerKey: string;
  private readonly lockKey: string;
  private timer?: NodeJS.Timeout;
  private bootstrapped = false;
  private ticking?: Promise<void>;
  private again = false;
  private restoring = false;
  private readonly onReady = (): void => void this.tick();

  constructor(
    @Inject(REDIS_CONNECTION) private readonly redis: Redis,
    @Inject(QUEUE_OPTIONS) options: QueueModuleOptions,
  ) {
    this.intervalMs = options.scheduleKeeperIntervalMs ?? DEFAULT_SCHEDULE_KEEPER_INTERVAL_MS;
    // One hash slot for both keys (Redis Cluster): the prefix's own {tag} if it has one, else ours.
    this.markerKey = `${options.prefix}:{schedule-keeper}:kept`;
    this.lockKey = `${options.prefix}:{schedule-keeper}:restoring`;
  }

  register(work: KeptWork): void {
    this.entries.push({ work, started: false, ensured: false });
    if (this.bootstrapped) void this.tick();
  }

  onApplicationBootstrap(): void {
    this.bootstrapped = true;
    if (this.entries.length === 0) return;
    // Local timer, not a BullMQ schedule: it must work when Redis has lost every schedule.
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    this.redis.on('ready', this.onReady);
    void this.tick();
  }

  onModuleDestroy(): void {
    this.stopping.abort();
    clearInterval(this.timer);
    this.redis.off('ready', this.onReady);
  }

  /** One round now: ensure every scheduler, and restore if Redis lost its data. Resolves when done. */
  tick(): Promise<void> {
    if (this.ticking) {
      this.again = true;
      return this.ticking;
    }
    const ticking = this.rounds().finally(() => {
      if (this.ticking === ticking) this.ticking = undefined;
    });
    this.ticking = ticking;
    return ticking;
  }

  private async rounds(): Promise<void> {
    do {
      this.again = false;
      // A command sent while the connection is down would wait in ioredis's offline queue and hold
      // shutdown's QUIT; the `ready` event brings the keeper back.
      if (this.stopping.signal.aborted || this.redis.status !== 'ready') return;
      await this.round().catch((error: unknown) =>
        this.logger.warn(`Schedule check failed: ${messageOf(error)}`),
      );
    } while (this.again);
  }

  private async round(): Promise<void> {
    for (const entry of this.entries) {
      if (entry.started) continue;
      entry.started = true;
      void this.restore(entry.work, 'start');
    }
    await Promise.all(this.entries.map((entry) => this.ensure(entry)));
    if (!this.restoring && (await this.redis.exists(this.markerKey)) === 0) {
      this.restoring = true;
      void this.restoreLost().finally(() => (this.restoring = false));
    }
  }

  private async ensure(entry: Entry): Promise<void> {
    try {
      const created = await entry.work.ensure?.();
      if (created && entry.ensured)
        this.logger.warn(`Job schedulers of ${entry.work.name} were missing in Redis: created again`);
      entry.ensured = true;
    } catch (error) {
      this.logger.warn(`Could not ensure the job schedulers of ${entry.work.name}: ${messageOf(error)}`);
    }
  }

  private async restore(work: KeptWork, reason: RestoreReason): Promise<boolean> {
    try {
      await work.restore?.(reason, this.stopping.signal);
      return true;
    } catch (error) {
      if (!this.stopping.signal.aborted)
        this.logger.warn(`Could not restore the jobs of ${work.name} (${reason}): ${messageOf(error)}`);
      return false;
    }
  }

  private async restoreLost(): Promise<void> {
    const token = randomUUID();
    try {
      // Another worker restores; this one goes on ensuring schedulers.
      const acquired = await this.redis.eval(
        ACQUIRE_RESTORE,
        2,
        this.lockKey,
        this.markerKey,
        token,
        RESTORE_LOCK_MS,
      );
      if (acquired !== 1) return;
      const started = Date.now();
      this.logger.warn(
        'Redis has lost the queues’ data (restarted empty or flushed): restoring their jobs from Postgres',
      );
      const works = this.entries.map((entry) => entry.work);
      const restored = await Promise.all(works.map((work) => this.restore(work, 'lost')));
      if (restored.every(Boolean)) {
        const kept = await this.redis.eval(FINISH_RESTORE, 2, this.lockKey, this.markerKey, token, started);
        if (kept === 1) this.logger.log(`Jobs restored from Postgres in ${Date.now() - started} ms`);
      } else {
        // The next tick tries again (on any worker).
        await this.redis.eval(RELEASE_LOCK, 1, this.lockKey, token);
      }
    } catch (error) {
      this.logger.warn(`Could not restore the jobs Redis lost: ${messageOf(error)}`);
    }
  }
}

/**
 * Upserts a job scheduler only when Redis does not have it (or has it with another interval): one
 * cheap command while it exists. An upsert on every check would replace the scheduler's waiting job
 * each time. True when it was created.
 */
export async function keepJobScheduler(
  queue: Queue,
  id: string,
  everyMs: number,
  template: { name: string; data?: unknown },
): Promise<boolean> {
  const existing = await queue.getJobScheduler(id);
  // BullMQ answers a missing scheduler whose id holds ':' with fields parsed from the id, never `next`.
  if (existing?.every === everyMs && typeof existing.next === 'number') return false;
  await queue.upsertJobScheduler(id, { every: everyMs }, template);
  return true;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
