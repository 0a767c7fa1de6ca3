/**
 * Results passed between benches of one `npm run bench`: each bench's JSON line is also written to
 * BENCH_RESULTS_DIR (set by scripts/bench.mjs), where later benches find the floor's figures and the
 * summary finds everything.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchResult {
  bench: string;
}

/** Prints a bench's one JSON line and keeps it for the rest of the run. */
export function publish<T extends BenchResult>(result: T): void {
  console.log(JSON.stringify(result));
  const dir = process.env.BENCH_RESULTS_DIR;
  if (dir) writeFileSync(join(dir, `${result.bench}.json`), JSON.stringify(result));
}

/** A result published earlier in this run, or undefined (another run, or the bench was left out). */
export function earlier<T extends BenchResult>(bench: string): T | undefined {
  const dir = process.env.BENCH_RESULTS_DIR;
  const file = dir && join(dir, `${bench}.json`);
  if (!file || !existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
