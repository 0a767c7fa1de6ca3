import 'reflect-metadata';
import { QueueName } from '@gw/queue';
import { PROCESSORS } from './worker.module';

// @nestjs/bullmq keeps a processor's queue under this metadata key (bull.constants PROCESSOR_METADATA).
const PROCESSOR_METADATA = 'bullmq:processor_metadata';

describe('the worker’s processors', () => {
  it.each(Object.values(QueueName))('has a processor for %s that really consumes that queue', (queue) => {
    const processor = PROCESSORS[queue];
    expect(processor).toBeDefined();
    expect(Reflect.getMetadata(PROCESSOR_METADATA, processor)).toMatchObject({ name: queue });
  });
});
