// With tracing off, a consent must cost no more than before tracing existed: the SDK, its exporter and
// its instrumentations are never even loaded. Checked in fresh Node processes, since Jest's module
// registry is not Node's.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..', '..');
/** Everything tracing brings in; `@opentelemetry/api` is not here: prom-client loads it anyway. */
const TRACING_PACKAGES = /node_modules\/(@opentelemetry\/(?!api\/)[^/]+|bullmq-otel)\//;

/** The tracing packages in Node's module cache after `modules` are required with `environment`. */
async function tracingPackagesLoaded(
  modules: string[],
  environment: Record<string, string>,
): Promise<string[]> {
  const probe = `
    for (const module of ${JSON.stringify(modules)}) require(module);
    const loaded = Object.keys(require.cache).map((file) => (${TRACING_PACKAGES}.exec(file) ?? [])[1]).filter(Boolean);
    process.stdout.write(JSON.stringify([...new Set(loaded)]));
    process.exit(0);`;
  const {
    OTEL_EXPORTER_OTLP_ENDPOINT: _endpoint,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: _traces,
    ...inherited
  } = process.env;
  const { stdout } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', '-e', probe], {
    cwd: ROOT,
    env: { ...inherited, ...environment },
  });
  return JSON.parse(stdout) as string[];
}

describe('tracing off', () => {
  it('loads no part of OpenTelemetry in the gateway or the worker', async () => {
    const loaded = await tracingPackagesLoaded(
      [
        './apps/gateway/src/start-tracing',
        './apps/gateway/src/gateway.module',
        './apps/worker/src/start-tracing',
        './apps/worker/src/worker.module',
      ],
      {},
    );
    expect(loaded).toEqual([]);
  }, 120_000);

  it('loads the SDK, the exporter and the instrumentations once OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const loaded = await tracingPackagesLoaded(['./apps/worker/src/start-tracing'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
    });
    expect(loaded).toEqual(
      expect.arrayContaining([
        '@opentelemetry/sdk-trace-node',
        '@opentelemetry/exporter-trace-otlp-http',
        '@opentelemetry/instrumentation-http',
        '@opentelemetry/instrumentation-pg',
        '@opentelemetry/instrumentation-ioredis',
        'bullmq-otel',
      ]),
    );
  }, 120_000);
});
