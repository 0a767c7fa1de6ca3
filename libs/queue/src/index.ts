export { createRedisConnection, REDIS_CONNECTION } from './redis-connection';
export { QueueModule, QUEUE_OPTIONS, type QueueModuleOptions } from './queue.module';
