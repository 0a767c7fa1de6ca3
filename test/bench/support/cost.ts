/**
 * What a run costs per consent (or per whatever unit a bench counts), for every bench alike: CPU time of
 * each measured process (/proc utime + stime), Postgres commits and row writes of the run's own database
 * (pg_stat_database), Redis commands (INFO commandstats), upstream calls (the simulator's /_sim/stats) and
 * each process's resident memory when the work ends. One meter per window: `start()` before the work,
 * `stop(units)` after it.
 *
 * Postgres publishes a backend's counters at most once a second, and an idle backend's last ones up to
 * 10 s late, so both ends wait BENCH_PG_SETTLE_MS before reading Postgres. The wait after the work adds
 * the stack's idle background queries of those seconds to the Postgres figures (CPU, Redis and upstream
 * are read the moment the work ends). Redis is shared with everything else on the machine: its count
 * includes other clients' commands.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { Client } from 'pg';
import { CPU_TICK_MS, cpuMs, memoryMiB } from './proc';
import { type ProcessStack, REDIS_URL, round, type SimStats, statsDelta, type UpstreamCalls } from './stack';

export const PG_SETTLE_MS = Number(process.env.BENCH_PG_SETTLE_MS ?? 10_500);
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SCRIPT_COMMANDS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);

export interface MeterSources {
  /** Measured processes, by the name printed for each. */
  processes: Record<string, number>;
  /** The database whose pg_stat_database row is read. */
  database: string;
  /** The bench's own connection to that database: its statements are taken off the commits. */
  observer?: { commits: number };
  /** The simulator's call counters, when one runs. */
  upstream?: () => Promise<SimStats>;
}

interface PgCounters {
  commits: number;
  rowWrites: number;
}

interface RedisCounters {
  commands: number;
  scripts: number;
}

interface Snapshot {
  at: number;
  cpuMs: Record<string, number>;
  redis: RedisCounters;
  upstream?: SimStats;
}

export interface CostReport {
  unit: string;
  units: number;
  /** The measured work's wall time (the settling waits excluded). */
  seconds: number;
  cpuMs: Record<string, number> & { total: number };
  pgCommits: number;
  pgRowWrites: number;
  redisCommands: number;
  redisScripts: number;
  upstream?: UpstreamCalls;
  perUnit: {
    cpuMs: Record<string, number> & { total: number };
    pgCommits: number;
    pgRowWrites: number;
    redisCommands: number;
    redisScripts: number;
    upstream?: UpstreamCalls;
  };
  /** At the end of the work, per process. */
  rssMiB: Record<string, number>;
  peakRssMiB: Record<string, number>;
  cpuTickMs: number;
  pgSettleMs: number;
  /** The bench's own reads, already taken off `pgCommits`. */
  observerCommits: number;
}

async function pgCounters(database: string): Promise<PgCounters> {
  // A fresh connection to another database: no stats snapshot of its own, and no commits in `database`.
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ commits: string; writes: string }>(
      `SELECT xact_commit::text AS commits, (tup_inserted + tup_updated + tup_deleted)::text AS writes
         FROM pg_stat_database WHERE datname = $1`,
      [database],
    );
    if (!rows[0]) throw new Error(`pg_stat_database has no row for ${database}`);
    return { commits: Number(rows[0].commits), rowWrites: Number(rows[0].writes) };
  } finally {
    await client.end();
  }
}

async function redisCounters(): Promise<RedisCounters> {
  // No ready check and no QUIT: this reader's only command is the INFO it leaves out of the count.
  const redis = new Redis(REDIS_URL, { lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const info = await redis.info('commandstats');
    const counters: RedisCounters = { commands: 0, scripts: 0 };
    for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      const [, command, calls] = match;
      if (command === 'info') continue;
      counters.commands += Number(calls);
      if (SCRIPT_COMMANDS.has(command)) counters.scripts += Number(calls);
    }
    return counters;
  } finally {
    redis.disconnect();
  }
}

function perUnitOf<T extends Record<string, number>>(values: T, units: number): T {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, round(value / Math.max(1, units), 3)]),
  ) as T;
}

export class CostMeter {
  private begin?: Snapshot;
  private beginPg?: PgCounters;
  private beginObserver = 0;

  constructor(private readonly sources: MeterSources) {}

  /** The stack's gateway and worker (those of `names` that run), its database and its simulator. */
  static forStack(stack: ProcessStack, names: string[] = ['gateway', 'worker']): CostMeter {
    return new CostMeter({
      processes: Object.fromEntries(
        names.filter((name) => stack.has(name)).map((name) => [name, stack.pid(name)]),
      ),
      database: stack.databaseName,
      observer: stack.db,
      upstream: stack.has('simulator') ? () => stack.stats() : undefined,
    });
  }

  /**
   * Reads the counters the work starts from. `settle: false` skips the wait for Postgres when the work
   * before was another meter's `stop()` and only idle time passed since.
   */
  async start(options: { settle?: boolean } = {}): Promise<void> {
    if (options.settle ?? true) await sleep(PG_SETTLE_MS);
    this.beginPg = await pgCounters(this.sources.database);
    this.beginObserver = this.sources.observer?.commits ?? 0;
    this.begin = await this.snapshot();
  }

  /** Reads the counters when the work has ended; `units` is how many consents (or tokens) it did. */
  async stop(units: number, unit = 'consent'): Promise<CostReport> {
    const begin = this.begin;
    const beginPg = this.beginPg;
    if (!begin || !beginPg) throw new Error('CostMeter.stop() before start()');
    const end = await this.snapshot();
    const memory = Object.fromEntries(
      Object.entries(this.sources.processes).map(([name, pid]) => [name, memoryMiB(pid)]),
    );
    await sleep(PG_SETTLE_MS);
    const endPg = await pgCounters(this.sources.database);
    const observerCommits = (this.sources.observer?.commits ?? 0) - this.beginObserver;

    const cpu: Record<string, number> = {};
    for (const name of Object.keys(this.sources.processes)) {
      cpu[name] = round(end.cpuMs[name] - begin.cpuMs[name], 1);
    }
    const cpuMsTotals = {
      ...cpu,
      total: round(
        Object.values(cpu).reduce((sum, ms) => sum + ms, 0),
        1,
      ),
    };
    const counts = {
      pgCommits: endPg.commits - beginPg.commits - observerCommits,
      pgRowWrites: endPg.rowWrites - beginPg.rowWrites,
      redisCommands: end.redis.commands - begin.redis.commands,
      redisScripts: end.redis.scripts - begin.redis.scripts,
    };
    const upstream = begin.upstream && end.upstream ? statsDelta(begin.upstream, end.upstream) : undefined;
    return {
      unit,
      units,
      seconds: round((end.at - begin.at) / 1000, 2),
      cpuMs: cpuMsTotals,
      ...counts,
      upstream,
      perUnit: {
        cpuMs: perUnitOf(cpuMsTotals, units),
        ...perUnitOf(counts, units),
        upstream: upstream && perUnitOf(upstream, units),
      },
      rssMiB: Object.fromEntries(Object.entries(memory).map(([name, { rssMiB }]) => [name, rssMiB])),
      peakRssMiB: Object.fromEntries(
        Object.entries(memory).map(([name, { peakRssMiB }]) => [name, peakRssMiB]),
      ),
      cpuTickMs: CPU_TICK_MS,
      pgSettleMs: PG_SETTLE_MS,
      observerCommits,
    };
  }

  private async snapshot(): Promise<Snapshot> {
    const at = Date.now();
    const cpu = Object.fromEntries(
      Object.entries(this.sources.processes).map(([name, pid]) => [name, cpuMs(pid)]),
    );
    const [redis, upstream] = await Promise.all([redisCounters(), this.sources.upstream?.()]);
    return { at, cpuMs: cpu, redis, upstream };
  }
}

/** The cost of one window as a table: totals and per unit, then how to read it. */
export function printCost(report: CostReport, title: string): void {
  const per = `per ${report.unit}`;
  const names = Object.keys(report.rssMiB);
  const rows: Record<string, string | number>[] = [
    ...names.map((name) => ({
      cost: `CPU ${name} (ms)`,
      total: report.cpuMs[name],
      [per]: report.perUnit.cpuMs[name],
    })),
    ...(names.length > 1
      ? [
          {
            cost: `CPU ${names.join(' + ')} (ms)`,
            total: report.cpuMs.total,
            [per]: report.perUnit.cpuMs.total,
          },
        ]
      : []),
    { cost: 'Postgres commits', total: report.pgCommits, [per]: report.perUnit.pgCommits },
    { cost: 'Postgres row writes', total: report.pgRowWrites, [per]: report.perUnit.pgRowWrites },
    {
      cost: 'Redis commands (shared Redis)',
      total: report.redisCommands,
      [per]: report.perUnit.redisCommands,
    },
    { cost: '  of which EVAL/EVALSHA', total: report.redisScripts, [per]: report.perUnit.redisScripts },
  ];
  if (report.upstream && report.perUnit.upstream) {
    const calls: [string, keyof UpstreamCalls][] = [
      ['Altinn POST consentrequests', 'altinnCreate'],
      ['Altinn GET consentrequests/{id}', 'altinnGet'],
      ['Maskinporten /token', 'maskinportenToken'],
      ['KMS Sign', 'kmsSign'],
    ];
    for (const [label, field] of calls) {
      rows.push({ cost: label, total: report.upstream[field], [per]: report.perUnit.upstream[field] });
    }
  }
  for (const name of names) {
    rows.push({
      cost: `RSS ${name} at the end (MiB)`,
      total: report.rssMiB[name],
      [per]: `peak ${report.peakRssMiB[name]}`,
    });
  }
  console.log(`\n${title}: cost of ${report.units} ${report.unit}s in ${report.seconds} s`);
  console.table(rows);
  console.log(
    `  CPU: process user+system time from /proc (${report.cpuTickMs} ms ticks). Postgres: pg_stat_database of ` +
      `this run's database, read ${report.pgSettleMs / 1000} s after the work (counters are published late), so ` +
      `it includes the idle background queries of those seconds; the bench's own ${report.observerCommits} ` +
      'reads are taken off. Redis: INFO commandstats of a Redis shared with other work on this machine, ' +
      'commands run inside scripts counted too.',
  );
}
