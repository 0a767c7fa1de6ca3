import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { QUEUE_OPTIONS, type QueueModuleOptions, REDIS_CONNECTION } from '@gw/queue';
import {
  BUCKET_MS,
  bucketsCovering,
  type RecentCountField,
  sumBuckets,
  tokenCacheTraffic,
  type TokenCacheTraffic,
  upstreamTraffic,
  type UpstreamTraffic,
} from './domain/recent-counts';

/** How often a process adds what it counted to Redis: one pipeline per interval, never one per call. */
export const RECENT_COUNTS_FLUSH_MS = 5_000;
/** The longest look back an operator gets; buckets expire a little after it. */
export const RECENT_COUNTS_MAX_MINUTES = 60;

export interface RecentTraffic {
  minutes: number;
  upstreams: UpstreamTraffic[];
  tokenCache: TokenCacheTraffic[];
}

/**
 * The deployment's recent upstream calls and token cache results, summed over every gateway and worker
 * through per-minute hashes in Redis. Each process counts in memory and adds its counts every few seconds,
 * so the hot path pays nothing; a flush Redis refuses is dropped (these are indicators, not accounts).
 */
@Injectable()
export class RecentCounts implements OnApplicationShutdown {
  private readonly logger = new Logger(RecentCounts.name);
  private readonly prefix: string;
  private pending = new Map<RecentCountField, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    @Inject(REDIS_CONNECTION) private readonly redis: Redis,
    @Inject(QUEUE_OPTIONS) options: Pick<QueueModuleOptions, 'prefix'>,
  ) {
    this.prefix = `${options.prefix}:{recent-counts}`;
    this.timer = setInterval(() => void this.flush(), RECENT_COUNTS_FLUSH_MS);
    this.timer.unref();
  }

  add(field: RecentCountField): void {
    this.pending.set(field, (this.pending.get(field) ?? 0) + 1);
  }

  /** Adds what this process counted since the last flush to the current minute's bucket. */
  async flush(now = Date.now()): Promise<void> {
    if (this.pending.size === 0) return;
    const counts = this.pending;
    this.pending = new Map();
    const [bucket] = bucketsCovering(now, 1);
    const key = this.key(bucket);
    const pipeline = this.redis.pipeline();
    for (const [field, count] of counts) pipeline.hincrby(key, field, count);
    pipeline.pexpire(key, (RECENT_COUNTS_MAX_MINUTES + 5) * BUCKET_MS);
    try {
      await pipeline.exec();
    } catch (error) {
      this.logger.warn(`Recent counts not written: ${(error as Error).message}`);
    }
  }

  /** Every process's counts of the last `minutes` minutes (this process's unflushed ones not yet). */
  async read(minutes: number, now = Date.now()): Promise<RecentTraffic> {
    const span = Math.min(Math.max(1, Math.floor(minutes)), RECENT_COUNTS_MAX_MINUTES);
    const pipeline = this.redis.pipeline();
    for (const bucket of bucketsCovering(now, span)) pipeline.hgetall(this.key(bucket));
    const answers = (await pipeline.exec()) ?? [];
    const hashes = answers.map(([error, hash]) => {
      if (error) throw error;
      return hash as Record<string, string>;
    });
    const totals = sumBuckets(hashes);
    return { minutes: span, upstreams: upstreamTraffic(totals), tokenCache: tokenCacheTraffic(totals) };
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private key(bucket: number): string {
    return `${this.prefix}:${bucket}`;
  }
}
