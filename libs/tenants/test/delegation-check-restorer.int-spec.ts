import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { uuidV7 } from '@gw/persistence';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';
import { type JobPayloads, QueueName, redisOptionsFromUrl, type ScheduleKeeper } from '@gw/queue';
import { deleteRedisKeys, TEST_REDIS_URL } from '@test/resources';
import { TENANTS_ENTITIES } from '../src';
import { DelegationCheckRestorer } from '../src/delegation-check-restorer';
import { TenantRepository } from '../src/tenant.repository';

// After Redis lost its data (restarted empty, flushed) the queued delegation checks are gone; the
// restorer queues one again for every tenant whose check is still owed, read from Postgres.
describe('DelegationCheckRestorer (real Postgres and Redis)', () => {
  const prefix = `sgw-test-${randomUUID()}`;
  let database: TestDatabase;
  let queue: Queue<JobPayloads['delegation-check']>;
  let restorer: DelegationCheckRestorer;
  const ids: Record<string, string> = {};

  async function tenant(
    name: string,
    orgNumber: string,
    status: string,
    scopes: { verified?: boolean; error?: string }[],
  ): Promise<void> {
    const id = uuidV7();
    ids[name] = id;
    await database.dataSource.query(
      `INSERT INTO tenants (id, org_number, name, status) VALUES ($1, $2, $3, $4)`,
      [id, orgNumber, name, status],
    );
    for (const [index, scope] of scopes.entries()) {
      await database.dataSource.query(
        `INSERT INTO tenant_scopes (tenant_id, scope, verified_at, last_error) VALUES ($1, $2, $3, $4::jsonb)`,
        [
          id,
          `altinn:scope${index}`,
          scope.verified ? new Date() : null,
          scope.error
            ? JSON.stringify({ code: scope.error, message: 'm', checkedAt: new Date().toISOString() })
            : null,
        ],
      );
    }
  }

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    database = await createTestDatabase({ entities: TENANTS_ENTITIES });
    queue = new Queue(QueueName.DelegationCheck, { connection: redisOptionsFromUrl(TEST_REDIS_URL), prefix });
    const keeper = { register: () => undefined } as unknown as ScheduleKeeper;
    restorer = new DelegationCheckRestorer(new TenantRepository(database.dataSource), queue, keeper);
    await tenant('never checked', '313876144', 'active', [{ verified: true }, {}]);
    await tenant('Maskinporten away', '974760673', 'active', [{ error: 'maskinporten.unavailable' }]);
    await tenant('suspended, never checked', '923456783', 'suspended', [{}]);
    await tenant('verified', '910000005', 'active', [{ verified: true }, { verified: true }]);
    await tenant('not delegated', '910000013', 'active', [{ verified: true }, { error: 'MP-251' }]);
    await tenant('offboarded', '910000021', 'offboarded', [{}]);
    await tenant('no scopes', '910000048', 'active', []);
  });
  afterAll(async () => {
    await queue?.close();
    await database?.drop();
    await deleteRedisKeys(prefix);
    jest.restoreAllMocks();
  });

  const queuedTenants = async () =>
    (await queue.getJobs(['waiting', 'delayed', 'active'])).map((job) => job.data.tenantId).sort();

  it('queues nothing at a worker’s start: the queued checks are still in Redis', async () => {
    expect(await restorer.restore('start')).toEqual({ queued: 0 });
    expect(await queuedTenants()).toEqual([]);
  });

  it('queues one check for each tenant whose check is still owed, once however often it runs', async () => {
    const owed = [ids['never checked'], ids['Maskinporten away'], ids['suspended, never checked']].sort();
    expect(await restorer.restore('lost')).toEqual({ queued: 3 });
    expect(await queuedTenants()).toEqual(owed);
    await restorer.restore('lost');
    expect(await queuedTenants()).toEqual(owed);
  });

  it('queues no second check for a tenant whose onboarding check is still queued', async () => {
    await tenant('onboarded just now', '910000058', 'active', [{}]);
    await queue.add(QueueName.DelegationCheck, { tenantId: ids['onboarded just now'] });
    await restorer.restore('lost');
    const checks = (await queuedTenants()).filter((id) => id === ids['onboarded just now']);
    expect(checks).toHaveLength(1);
  });
});
