import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { migrationsApplied } from '@gw/persistence';
import { REDIS_CONNECTION } from '@gw/queue';

export type CheckResult = { status: 'up' } | { status: 'down'; reason: string };

export interface Readiness {
  ready: boolean;
  checks: Record<'postgres' | 'migrations' | 'redis', CheckResult>;
}

const CHECK_TIMEOUT_MS = 2_000;

/** Readiness: Postgres answers, every migration is applied, Redis answers. */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS_CONNECTION) private readonly redis: Redis,
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
    return { ready: Object.values(checks).every((check) => check.status === 'up'), checks };
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
