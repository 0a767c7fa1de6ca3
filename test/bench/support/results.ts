/**
 * Each bench's one JSON line, also written to BENCH_RESULTS_DIR when scripts/bench.mjs sets it, where the
 * summary at the end of the run finds every result.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchResult {
  bench: string;
}

/** Prints a bench's one JSON line and keeps it for the run's summary. */
export function publish<T extends BenchResult>(result: T): void {
  console.log(JSON.stringify(result));
  const dir = process.env.BENCH_RESULTS_DIR;
  if (dir) writeFileSync(join(dir, `${result.bench}.json`), JSON.stringify(result));
}
