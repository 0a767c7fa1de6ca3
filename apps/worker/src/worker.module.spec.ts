import 'reflect-metadata';
import { type Provider } from '@nestjs/common';
import { type CircuitBreakers } from '@gw/circuit-breaker';
import { loadConfig, workerConfigSchema } from '@gw/config';
import { type ConsentJobs } from '@gw/consent';
import { QueueName } from '@gw/queue';
import { ConsentCreateProcessor } from './processors/consent-create.processor';
import { WORKER_CONCURRENCY, type WorkerConcurrency } from './worker-concurrency';
import { WorkerModule } from './worker.module';

// @nestjs/bullmq keeps a processor's queue under this metadata key (bull.constants PROCESSOR_METADATA).
const PROCESSOR_METADATA = 'bullmq:processor_metadata';

const config = loadConfig(workerConfigSchema, {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  DATABASE_URL: 'postgres://sgw@127.0.0.1:5432/unused',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ALTINN_BASE_URL: 'http://127.0.0.1:1',
  MASKINPORTEN_ISSUER: 'http://127.0.0.1:1/',
  MASKINPORTEN_CLIENT_ID: 'sgw-local-client',
  PROVIDER_ORG_NUMBER: '310149942',
  SIGNER: 'kms',
  KMS_ENDPOINT: 'http://127.0.0.1:1',
  KMS_ACCESS_KEY_ID: 'AKIDSGWTEST',
  KMS_SECRET_ACCESS_KEY: 'not-a-secret',
  KMS_KEY_ID: 'alias/sgw-maskinporten',
  CONSENT_CREATE_CONCURRENCY: '7',
});
const providers: Provider[] = WorkerModule.forRoot(config).providers ?? [];

/** The queue a provider consumes, when it is a BullMQ processor. */
function queueOf(provider: Provider): string | undefined {
  if (typeof provider !== 'function') return undefined;
  return (Reflect.getMetadata(PROCESSOR_METADATA, provider) as { name?: string } | undefined)?.name;
}

describe('the worker module', () => {
  it('registers exactly one processor for every queue, and none for a queue that does not exist', () => {
    const consumed = providers.map(queueOf).filter((queue) => queue !== undefined);
    expect([...consumed].sort()).toEqual(Object.values(QueueName).sort());
  });

  it('gives the consent-create workers the concurrency the config asks for', () => {
    const concurrency = providers.find(
      (provider): provider is { provide: symbol; useValue: WorkerConcurrency } =>
        typeof provider === 'object' && 'provide' in provider && provider.provide === WORKER_CONCURRENCY,
    );
    expect(concurrency?.useValue).toEqual({ consentCreate: 7 });

    const processor = new ConsentCreateProcessor(
      {} as ConsentJobs,
      concurrency!.useValue,
      {} as CircuitBreakers,
    );
    // The worker @nestjs/bullmq attaches at module init, with BullMQ's default concurrency.
    const worker = { concurrency: 1 };
    (processor as unknown as { _worker: typeof worker })._worker = worker;
    processor.onApplicationBootstrap();
    expect(worker.concurrency).toBe(7);
  });
});
