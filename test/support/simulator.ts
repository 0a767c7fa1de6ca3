import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, simulatorConfigSchema, type SimulatorConfig } from '@gw/config';
import { startSimulator, type RunningSimulator } from '../../apps/simulator/src/simulator.bootstrap';

export interface TestSimulator extends RunningSimulator {
  dataDir: string;
  /** Calls the control API and fails loudly on a non-2xx answer. */
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

/**
 * An in-process simulator on a free loopback port with its own KMS data directory, seeded as in
 * `npm start`. Each test file gets its own, so clocks, faults and counters never leak between files.
 */
export async function startTestSimulator(
  overrides: Partial<Record<keyof SimulatorConfig, string>> = {},
): Promise<TestSimulator> {
  // A data dir passed in belongs to the caller (e.g. to restart on the same KMS keys): never delete it.
  const ownsDataDir = overrides.SIMULATOR_DATA_DIR === undefined;
  const dataDir = overrides.SIMULATOR_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'sgw-sim-'));
  const config = loadConfig(simulatorConfigSchema, {
    SIMULATOR_PORT: '0',
    SIMULATOR_DATA_DIR: dataDir,
    SIMULATOR_FEED_LAG_SECONDS: '0',
    LOG_LEVEL: 'silent',
    ...overrides,
  });
  const simulator = await startSimulator(config);
  return {
    ...simulator,
    dataDir,
    async control<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${simulator.baseUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
    async close() {
      await simulator.close();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
