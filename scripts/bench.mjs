// Runs the benchmarks against the compiled build, as production runs it: `npm run build` first (skipped with
// BENCH_SKIP_BUILD=1), then every test/bench/*.bench.ts in its own process (so figures never share a warm
// heap) through the SWC register hook — the bench scripts are the load generator; the apps they measure
// run from dist/. Every bench leaves its result in BENCH_RESULTS_DIR, and a summary of the goals closes
// the run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'test', 'bench');
const only = process.argv.slice(2);
const all = readdirSync(benchDir).filter((name) => name.endsWith('.bench.ts'));
const files = all.filter((name) => only.length === 0 || only.some((filter) => name.includes(filter))).sort();

if (files.length === 0) {
  console.error(`No benchmarks in ${benchDir}${only.length ? ` matching ${only.join(', ')}` : ''}`);
  process.exit(1);
}

if (process.env.BENCH_SKIP_BUILD !== '1') {
  console.log('▶ npm run build');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error(`✖ npm run build exited with ${build.status ?? build.signal}`);
    process.exit(1);
  }
}

const keepResults = Boolean(process.env.BENCH_RESULTS_DIR);
const resultsDir = process.env.BENCH_RESULTS_DIR ?? mkdtempSync(join(tmpdir(), 'sgw-bench-results-'));
let failed = 0;
for (const file of files) {
  console.log(`\n▶ ${file}`);
  const result = spawnSync(process.execPath, ['-r', '@swc-node/register', join('test', 'bench', file)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'test', BENCH_RESULTS_DIR: resultsDir },
  });
  if (result.status !== 0) {
    failed += 1;
    console.error(`✖ ${file} exited with ${result.status ?? result.signal}`);
  }
}

const results = {};
for (const name of readdirSync(resultsDir).filter((entry) => entry.endsWith('.json'))) {
  results[name.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(resultsDir, name), 'utf8'));
}
printSummary(results);
if (keepResults) console.log(`\nResults of each bench: ${resultsDir}`);
else if (existsSync(resultsDir)) rmSync(resultsDir, { recursive: true, force: true });
process.exit(failed === 0 ? 0 : 1);

/** Every cost report in a result (an object with `perUnit` and `rssMiB`), labelled by where it was found. */
function costReports(value, path) {
  if (value === null || typeof value !== 'object') return [];
  if ('perUnit' in value && 'rssMiB' in value) return [{ path, report: value }];
  return Object.entries(value).flatMap(([key, inner]) => {
    // The cost itself, or a list whose items name themselves (tenants, latency).
    if (key === 'cost' || key === 'gatewayCost' || Array.isArray(inner)) return costReports(inner, path);
    return costReports(inner, `${path} › ${Array.isArray(value) ? describe(inner, Number(key)) : key}`);
  });
}

function describe(item, index) {
  if (item && typeof item === 'object' && 'tenants' in item) {
    return `${item.tenants} tenant${item.tenants === 1 ? '' : 's'}`;
  }
  if (item && typeof item === 'object' && 'latencyMs' in item) return `${item.latencyMs} ms upstream`;
  return `#${index + 1}`;
}

function printTable(rows) {
  const columns = Object.keys(rows[0]);
  const width = (column) => Math.max(column.length, ...rows.map((row) => String(row[column]).length));
  const line = (cells) => cells.map((cell, index) => String(cell).padEnd(width(columns[index]))).join(' │ ');
  console.log(line(columns));
  console.log(columns.map((column) => '─'.repeat(width(column))).join('─┼─'));
  for (const row of rows) console.log(line(columns.map((column) => row[column])));
}

function printSummary(results) {
  const endToEnd = results['end-to-end'];
  const intake = results.intake;
  const naive = results['naive-vs-gateway'];
  const oneAtATime = results['one-at-a-time'];
  const webhooks = results['webhook-latency'];
  const num = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  const pct = (ratio) => (ratio === undefined ? undefined : Math.round(ratio * 1000) / 10);
  const intakeScenario = (tenants) => intake?.scenarios?.find((scenario) => scenario.tenants === tenants);
  const naiveRatio = (latencyMs) => num(naive?.rounds?.find((item) => item.latencyMs === latencyMs)?.ratio);
  const minOf = (...values) =>
    values.some((value) => value === undefined) ? undefined : Math.min(...values);
  const maxOf = (...values) =>
    values.some((value) => value === undefined) ? undefined : Math.max(...values);

  const reports = Object.entries(results).flatMap(([bench, result]) => costReports(result, bench));
  const rssMax = (name) => {
    let worst;
    for (const { path, report } of reports) {
      const rss = num(report.rssMiB?.[name]);
      if (rss !== undefined && (worst === undefined || rss > worst.rss)) worst = { rss, path };
    }
    return worst;
  };
  const gatewayRss = rssMax('gateway');
  const workerRss = rssMax('worker');

  const i1 = intakeScenario(1);
  const i50 = intakeScenario(50);
  const goals = [
    {
      goal: 'gateway + worker CPU per consent',
      target: '≤ 1.5 ms',
      now: num(endToEnd?.cost?.perUnit?.cpuMs?.total),
      met: (value) => value <= 1.5,
      show: (value) => `${value} ms`,
      floor: endToEnd?.floor && `${endToEnd.floor.cost.perUnit.cpuMs.total} ms`,
      source: 'end-to-end',
    },
    {
      goal: 'Postgres commits per consent',
      target: '≤ 2',
      now: num(endToEnd?.cost?.perUnit?.pgCommits),
      met: (value) => value <= 2,
      show: (value) => `${value}`,
      floor: endToEnd?.floor && `${endToEnd.floor.cost.perUnit.pgCommits}`,
      source: 'end-to-end (xact_commit, read-only ones too)',
    },
    {
      goal: 'gateway / naive at 50 ms upstream latency',
      target: '≥ 4×',
      now: naiveRatio(50),
      met: (value) => value >= 4,
      show: (value) => `${value}×`,
      source: 'naive-vs-gateway',
    },
    {
      goal: 'gateway / naive at 200 ms upstream latency',
      target: '≥ 6×',
      now: naiveRatio(200),
      met: (value) => value >= 6,
      show: (value) => `${value}×`,
      source: 'naive-vs-gateway',
    },
    {
      goal: 'intake as % of floor',
      target: '≥ 60%',
      now: pct(minOf(num(i1?.ofFloor), num(i50?.ofFloor))),
      met: (value) => value >= 60,
      show: () => `${pct(i1.ofFloor)}% (1 tenant), ${pct(i50.ofFloor)}% (50)`,
      floor: intake?.floor && `${intake.floor.acceptedPerSecond}/s`,
      source: `intake: ${i1?.acceptedPerSecond ?? '—'}/s, ${i50?.acceptedPerSecond ?? '—'}/s`,
    },
    {
      goal: 'intake p99 at 50 connections',
      target: '≤ 50 ms',
      now: maxOf(num(i1?.latencyP99Ms), num(i50?.latencyP99Ms)),
      met: (value) => value <= 50,
      show: () => `${i1.latencyP99Ms} ms (1 tenant), ${i50.latencyP99Ms} ms (50)`,
      floor: intake?.floor && `${intake.floor.latencyP99Ms} ms`,
      source: 'intake',
    },
    {
      goal: 'end to end as % of floor',
      target: '≥ 50%',
      now: pct(num(endToEnd?.ofFloor)),
      met: (value) => value >= 50,
      show: (value) => `${value}%`,
      floor: endToEnd?.floor && `${endToEnd.floor.createdPerSecond}/s`,
      source: `end-to-end: ${endToEnd?.createdPerSecond ?? '—'}/s`,
    },
    {
      goal: 'one at a time p50 (POST wait=10 → 201)',
      target: '≤ 10 ms',
      now: num(oneAtATime?.p50Ms),
      met: (value) => value <= 10,
      show: (value) => `${value} ms`,
      floor: oneAtATime?.floor && `${oneAtATime.floor.p50Ms} ms`,
      source: 'one-at-a-time',
    },
    {
      goal: 'one at a time p99',
      target: '≤ 25 ms',
      now: num(oneAtATime?.p99Ms),
      met: (value) => value <= 25,
      show: (value) => `${value} ms`,
      floor: oneAtATime?.floor && `${oneAtATime.floor.p99Ms} ms`,
      source: `one-at-a-time (max ${oneAtATime?.maxMs ?? '—'} ms)`,
    },
    {
      goal: 'event committed → webhook received p99',
      target: '≤ 500 ms',
      now: num(webhooks?.eventToWebhookP99Ms),
      met: (value) => value <= 500,
      show: (value) => `${value} ms`,
      source: `webhook-latency (p50 ${webhooks?.eventToWebhookP50Ms ?? '—'}, max ${webhooks?.eventToWebhookMaxMs ?? '—'} ms)`,
    },
    {
      goal: 'gateway RSS after a run (worst)',
      target: '≤ 150 MiB',
      now: gatewayRss?.rss,
      met: (value) => value <= 150,
      show: (value) => `${value} MiB`,
      source: gatewayRss?.path ?? '—',
    },
    {
      goal: 'worker RSS after a run (worst)',
      target: '≤ 150 MiB',
      now: workerRss?.rss,
      met: (value) => value <= 150,
      show: (value) => `${value} MiB`,
      source: workerRss?.path ?? '—',
    },
  ];

  console.log(
    '\n══ Summary: goals, figures of this run (2 shared cores, other work on the machine: noisy) ══\n',
  );
  printTable(
    goals.map((goal) => ({
      goal: goal.goal,
      target: goal.target,
      now: goal.now === undefined ? '— (not run)' : goal.show(goal.now),
      met: goal.now === undefined ? '—' : goal.met(goal.now) ? 'yes' : 'NO',
      'floor (just before)': goal.floor ?? '',
      'from bench': goal.source,
    })),
  );
  const met = goals.filter((goal) => goal.now !== undefined && goal.met(goal.now)).length;
  const measured = goals.filter((goal) => goal.now !== undefined).length;
  console.log(`\n${met} of ${measured} measured goals met.`);

  if (reports.length > 0) {
    console.log(
      "\nCost per unit of every measured window (CPU from /proc; Postgres of the run's own database; Redis shared):\n",
    );
    printTable(
      reports.map(({ path, report }) => ({
        window: path,
        unit: `${report.units} ${report.unit}s`,
        'CPU ms': Object.entries(report.perUnit.cpuMs)
          .filter(([name]) => name !== 'total')
          .map(([name, ms]) => `${name} ${ms}`)
          .join(', '),
        'CPU total': report.perUnit.cpuMs.total,
        'PG commits': report.perUnit.pgCommits,
        'PG row writes': report.perUnit.pgRowWrites,
        'Redis cmds': report.perUnit.redisCommands,
        'Altinn create': report.perUnit.upstream?.altinnCreate ?? '',
        'RSS MiB': Object.entries(report.rssMiB)
          .map(([name, rss]) => `${name} ${rss}`)
          .join(', '),
      })),
    );
  }
}
