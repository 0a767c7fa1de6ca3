// `npm start`: the whole stack on this machine's Postgres and Redis — simulator (Maskinporten, Altinn, KMS),
// worker and gateway — with the embedded local defaults. Every default can be overridden from the environment.
// Production runs each process from the built image instead (one command per process, see Dockerfile).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env };
const setDefault = (name, value) => {
  if (env[name] === undefined || env[name] === '') env[name] = value;
};

setDefault('NODE_ENV', 'development');
setDefault('SIMULATOR_PORT', '3100');
setDefault('PORT', '3000');
setDefault('WORKER_HEALTH_PORT', '3001');
// The gateway's management listener (admin API, bull-board, /metrics), on this machine only.
setDefault('MANAGEMENT_PORT', '3002');
setDefault('MANAGEMENT_HOST', '127.0.0.1');
setDefault('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/samtykke_gateway');
setDefault('REDIS_URL', 'redis://127.0.0.1:6379');
setDefault('QUEUE_PREFIX', 'sgw');
const simulatorUrl = `http://127.0.0.1:${env.SIMULATOR_PORT}`;
setDefault('MASKINPORTEN_ISSUER', `${simulatorUrl}/`);
setDefault('ALTINN_BASE_URL', simulatorUrl);
setDefault('SIGNER', 'kms');
setDefault('KMS_ENDPOINT', simulatorUrl);
setDefault('KMS_KEY_ID', 'alias/sgw-maskinporten');
// The simulated KMS wants a SigV4 header like the real one; any static pair signs it.
setDefault('KMS_ACCESS_KEY_ID', 'AKIDLOCALSIMULATOR');
setDefault('KMS_SECRET_ACCESS_KEY', 'local-simulator-secret');
const generatedAdminKey = !env.ADMIN_API_KEY;
setDefault('ADMIN_API_KEY', `sgw_admin_${randomBytes(24).toString('base64url')}`);
setDefault('TOKEN_CACHE_ENCRYPTION_KEY', randomBytes(32).toString('base64'));

const children = new Set();
let stopping = false;

function prefixLines(name, stream, target) {
  let pending = '';
  stream.on('data', (chunk) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) target.write(`[${name}] ${line}\n`);
  });
}

/** A service runs until the stack stops (its exit stops the stack); a task runs to completion. */
function run(name, entry, { task = false } = {}) {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixLines(name, child.stdout, process.stdout);
  prefixLines(name, child.stderr, process.stderr);
  children.add(child);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  exited.then(({ code, signal }) => {
    children.delete(child);
    if (!stopping && !task) {
      process.stderr.write(`[start] ${name} exited (${signal ?? code}); stopping the stack\n`);
      stop(1);
    }
  });
  return { child, exited };
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  const force = setTimeout(() => children.forEach((child) => child.kill('SIGKILL')), 15_000);
  force.unref();
  const wait = setInterval(() => {
    if (children.size === 0) {
      clearInterval(wait);
      process.exit(code);
    }
  }, 100);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function ensureDatabase(url) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

async function waitFor(url, name, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (stopping) throw new Error(`${name} stopped before it was ready`);
    if (Date.now() > deadline) throw new Error(`${name} not ready at ${url} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The seeds' tenant (Sparebank Super, 313876144, consent scopes delegated) when the registry is empty. */
async function seedTenantWhenEmpty(adminUrl) {
  const headers = { authorization: `Bearer ${env.ADMIN_API_KEY}`, 'content-type': 'application/json' };
  const list = await fetch(`${adminUrl}/admin/v1/tenants?limit=1`, { headers });
  if (!list.ok) throw new Error(`listing tenants: ${list.status} ${await list.text()}`);
  if ((await list.json()).data.length > 0) return 'registry not empty: nothing seeded';
  const created = await fetch(`${adminUrl}/admin/v1/tenants`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      orgNumber: '313876144',
      name: 'Sparebank Super',
      scopes: ['altinn:consentrequests.write', 'altinn:consentrequests.read'],
    }),
  });
  if (!created.ok) throw new Error(`seeding the tenant: ${created.status} ${await created.text()}`);
  const tenant = await created.json();
  return `Sparebank Super 313876144 (${tenant.id}), delegation check queued`;
}

async function main() {
  await ensureDatabase(env.DATABASE_URL);
  const { code } = await run('migrate', 'apps/gateway/src/migrate.ts', { task: true }).exited;
  if (code !== 0) throw new Error('migrations failed');

  run('simulator', 'apps/simulator/src/main.ts');
  await waitFor(`${simulatorUrl}/_sim/info`, 'simulator');
  run('worker', 'apps/worker/src/main.ts');
  run('gateway', 'apps/gateway/src/main.ts');
  const gatewayUrl = `http://127.0.0.1:${env.PORT}`;
  const adminUrl = `http://127.0.0.1:${env.MANAGEMENT_PORT}`;
  await Promise.all([
    waitFor(`http://127.0.0.1:${env.WORKER_HEALTH_PORT}/health/ready`, 'worker'),
    waitFor(`${gatewayUrl}/health/ready`, 'gateway'),
    waitFor(`${adminUrl}/health/ready`, 'gateway management listener'),
  ]);

  const seeded = await seedTenantWhenEmpty(adminUrl);
  // `npm run demo` and `npm run cli` (another terminal) find the stack and its admin key here.
  writeFileSync(
    join(root, '.sgw-local.json'),
    JSON.stringify({ gatewayUrl, adminUrl, simulatorUrl, adminApiKey: env.ADMIN_API_KEY }, null, 2),
    { mode: 0o600 },
  );

  process.stdout.write(
    [
      '',
      'samtykke-gateway is running (Ctrl-C stops everything):',
      `  gateway          ${gatewayUrl}   (tenant API /v1, its OpenAPI /docs, probes /health)`,
      `  management       ${adminUrl}   (admin API /admin/v1, bull-board /admin/queues, OpenAPI /admin/docs, /metrics)`,
      `  operator console ${adminUrl}/console   (sign in with the admin API key below)`,
      `  worker probes    http://127.0.0.1:${env.WORKER_HEALTH_PORT}/health/ready`,
      `  simulator        ${simulatorUrl}   (Maskinporten issuer ${env.MASKINPORTEN_ISSUER}, Altinn, KMS, control /_sim)`,
      `  database         ${env.DATABASE_URL}`,
      `  redis            ${env.REDIS_URL} (queue prefix ${env.QUEUE_PREFIX})`,
      `  admin API key    ${env.ADMIN_API_KEY}${generatedAdminKey ? '   (generated for this run; set ADMIN_API_KEY to keep one)' : ''}`,
      `  seed tenant      ${seeded}`,
      '',
      'Next: `npm run demo` in another terminal walks the consent flow against this stack.',
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  process.stderr.write(`[start] ${error instanceof Error ? error.message : String(error)}\n`);
  stop(1);
});
