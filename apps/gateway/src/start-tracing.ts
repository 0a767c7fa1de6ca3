import { startTracing } from '@gw/tracing';

// Imported first by main.ts: the instrumentations patch http, pg, ioredis and fastify as they load.
startTracing({ service: 'sgw-gateway', environment: process.env });
