import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  chownSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { Client } from 'pg';
import { freePort } from '@test/resources';

const run = promisify(execFile);
export { freePort };

export const REPO_ROOT = join(__dirname, '..', '..', '..');

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} not up within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Waits for `promise` at most `ms`, leaving no timer behind (Jest must exit at once). */
async function atMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * A redis-server of the fault tests' own on a free port, never the machine's shared one (other agents use
 * it). AOF on, as a production Redis has persistence, so queued jobs survive its restart; RDB snapshots off.
 */
export class TempRedis {
  readonly dir = mkdtempSync(join(tmpdir(), 'sgw-fault-redis-'));
  port = 0;
  private child?: ChildProcess;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    if (this.port === 0) this.port = await freePort();
    const log = openSync(join(this.dir, 'redis.log'), 'a');
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--dir',
        this.dir,
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
    await waitUntil(`redis-server on ${this.port}`, () => this.ping(), 15_000);
    return this;
  }

  /** A graceful restart as an operator or a managed service does it: SHUTDOWN (AOF flushed), down, up. */
  async restart(downMs: number): Promise<void> {
    await this.stop(false);
    await sleep(downMs);
    await this.start();
  }

  /** FLUSHALL: every key gone at once, while the server and every connection to it stay up. */
  async flushAll(): Promise<void> {
    await run('redis-cli', ['-p', String(this.port), 'flushall']);
  }

  /** A restart that loses everything, as a Redis without persistence restarts: down, data gone, up. */
  async restartEmpty(downMs: number): Promise<void> {
    await this.stop(false);
    for (const file of ['appendonlydir', 'appendonly.aof', 'dump.rdb'])
      rmSync(join(this.dir, file), { recursive: true, force: true });
    await sleep(downMs);
    await this.start();
  }

  async stop(removeDir = true): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = waitForExit(child);
      // SHUTDOWN rewrites nothing here (no RDB); with AOF it fsyncs the log before exiting.
      await run('redis-cli', ['-p', String(this.port), 'shutdown']).catch(() => undefined);
      await atMost(exited, 5_000);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    if (removeDir) rmSync(this.dir, { recursive: true, force: true });
  }

  private async ping(): Promise<boolean> {
    const client = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } finally {
      client.disconnect();
    }
  }
}

/** The newest Postgres server binaries on this machine (Debian keeps them out of PATH). */
function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((name) => existsSync(join(base, name, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(base, versions[0], 'bin');
  }
  return ''; // PATH
}

/**
 * A throwaway Postgres cluster (initdb into a temp dir, pg_ctl start/stop), so the fault tests can restart
 * Postgres without touching the machine's shared cluster. initdb refuses to run as root: then every
 * command runs as the `postgres` user (`runuser`), which owns the temp dir.
 */
export class TempPostgres {
  readonly dir = mkdtempSync(join(tmpdir(), 'sgw-fault-pg-'));
  port = 0;
  private readonly bin = postgresBinDir();
  private readonly asRoot = process.getuid?.() === 0;

  get adminUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  urlFor(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<this> {
    this.port = await freePort();
    if (this.asRoot) chownSync(this.dir, ownerIds('postgres').uid, ownerIds('postgres').gid);
    await this.command('initdb', [
      '-D',
      this.dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    await this.up();
    return this;
  }

  /** Stops the server (`-m fast`: sessions are cut, as in a failover), keeps it down `downMs`, starts it. */
  async restart(downMs: number): Promise<void> {
    await this.command('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
    await sleep(downMs);
    await this.up();
  }

  async stop(): Promise<void> {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) {
      await this.command('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']).catch(
        () => undefined,
      );
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  async createDatabase(name: string): Promise<string> {
    const client = new Client({ connectionString: this.adminUrl });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
    return this.urlFor(name);
  }

  log(): string {
    try {
      return readFileSync(join(this.dir, 'postgres.log'), 'utf8');
    } catch {
      return '';
    }
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  private async up(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    await this.command('pg_ctl', [
      '-D',
      this.dataDir,
      '-o',
      options,
      '-l',
      join(this.dir, 'postgres.log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
  }

  private async command(name: string, args: string[]): Promise<void> {
    const binary = this.bin ? join(this.bin, name) : name;
    const [file, argv] = this.asRoot
      ? ['runuser', ['-u', 'postgres', '--', binary, ...args]]
      : [binary, args];
    await run(file, argv, { cwd: this.dir });
  }
}

function ownerIds(user: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${user}:`));
  if (!line) throw new Error(`no user ${user} to run Postgres as (initdb refuses root)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * The worker as its own OS process, started as `scripts/start.mjs` starts it, so it can be killed with
 * SIGKILL mid-job. Its output goes to a log file beside the test's other temp files.
 */
export class WorkerProcess {
  private child?: ChildProcess;
  healthPort = 0;

  constructor(
    private readonly env: Record<string, string>,
    readonly logFile: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The entry point and the variables that give it its ports; `healthPort` answers /health/live. */
  protected async launch(): Promise<{ entry: string; env: Record<string, string> }> {
    this.healthPort = await freePort();
    return { entry: 'apps/worker/src/main.ts', env: { WORKER_HEALTH_PORT: String(this.healthPort) } };
  }

  async start(): Promise<this> {
    const launch = await this.launch();
    const log = openSync(this.logFile, 'a');
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', launch.entry], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...this.env,
        ...launch.env,
      },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    const child = this.child;
    let exited = false;
    try {
      await waitUntil(
        `worker (pid ${child.pid})`,
        async () => {
          if (child.exitCode !== null) {
            exited = true;
            return true;
          }
          const answer = await fetch(`http://127.0.0.1:${this.healthPort}/health/live`);
          return answer.ok;
        },
        120_000,
      );
    } catch (error) {
      await this.kill9();
      throw new Error(`${(error as Error).message}; its log ends:\n${this.logTail()}`);
    }
    if (exited) throw new Error(`worker exited with ${child.exitCode}; its log ends:\n${this.logTail()}`);
    return this;
  }

  logTail(lines = 40): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** `kill -9`: no shutdown hooks, jobs in flight keep their locks until BullMQ sees them stalled. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = waitForExit(child);
    child.kill('SIGKILL');
    await exited;
  }

  /** A graceful stop (SIGTERM), forced after 20 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = waitForExit(child);
    child.kill('SIGTERM');
    await atMost(exited, 20_000);
    await this.kill9();
  }
}

/**
 * A gateway as its own OS process (public and management listeners on free ports), so a fault test
 * can run several behind one load, as replicas in production are.
 */
export class GatewayProcess extends WorkerProcess {
  managementPort = 0;

  get url(): string {
    return `http://127.0.0.1:${this.healthPort}`;
  }

  get adminUrl(): string {
    return `http://127.0.0.1:${this.managementPort}`;
  }

  protected override async launch(): Promise<{ entry: string; env: Record<string, string> }> {
    this.healthPort = await freePort();
    this.managementPort = await freePort();
    return {
      entry: 'apps/gateway/src/main.ts',
      env: { PORT: String(this.healthPort), MANAGEMENT_PORT: String(this.managementPort), HOST: '127.0.0.1' },
    };
  }
}
