import { Inject, Injectable, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { migrationsApplied } from '@gw/persistence';
import { REDIS_CONNECTION } from '@gw/queue';

export type CheckResult = { status: 'up' } | { status: 'down'; reason: string };

export interface Readiness {
  ready: boolean;
  checks: Record<'postgres' | 'migrations' | 'redis', CheckResult>;
  /** What a lib adds for the operator (e.g. the upstreams' circuit breakers); never decides `ready`. */
  details?: Record<string, unknown>;
}

/**
 * A lib above this one that adds details to the readiness answer provides itself under
 * {@link READINESS_DETAILS}. An upstream being down does not make this process unready: its jobs wait.
 */
export interface ReadinessDetailsSource {
  readinessDetails(): Promise<Record<string, unknown>>;
}

export const READINESS_DETAILS = Symbol('READINESS_DETAILS');

const CHECK_TIMEOUT_MS = 2_000;

/** Readiness: Postgres answers, every migration is applied, Redis answers. */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS_CONNECTION) private readonly redis: Redis,
    @Optional() private readonly moduleRef?: ModuleRef,
  ) {}

  async check(): Promise<Readiness> {
    const [postgres, migrations, redis] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1')),
      probe(async () => {
        if (!(await migrationsApplied(this.dataSource))) throw new Error('migrations pending');
      }),
      probe(() => this.redis.ping()),
    ]);
    const checks = { postgres, migrations, redis };
    const ready = Object.values(checks).every((check) => check.status === 'up');
    const details = await this.details();
    return { ready, checks, ...(details === undefined ? {} : { details }) };
  }

  private async details(): Promise<Record<string, unknown> | undefined> {
    let source: ReadinessDetailsSource | undefined;
    try {
      source = this.moduleRef?.get<ReadinessDetailsSource>(READINESS_DETAILS, { strict: false });
    } catch {
      return undefined; // no lib provides any
    }
    if (!source) return undefined;
    let details: Record<string, unknown> | undefined;
    const result = await probe(async () => {
      details = await source.readinessDetails();
    });
    return result.status === 'up' ? details : { unavailable: result.reason };
  }
}

async function probe(check: () => Promise<unknown>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
