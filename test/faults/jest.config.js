// `npm run test:faults`: the fault tests, one scenario per file, run one file at a time.
// Kept out of the default `npm test` projects: each file runs a load for tens of seconds and starts its own
// Redis, Postgres cluster and worker processes.
const path = require('node:path');
const root = require('../../jest.config.js');

// The main suite's project settings (SWC transform, @gw/* paths, ESM packages), with our own roots.
const { displayName: _name, roots: _roots, testMatch: _match, ...base } = root.projects[0];

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: path.join(__dirname, '..', '..'),
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.fault-spec.ts'],
  // The box has 2 cores shared with others: one scenario at a time keeps the load what each test says.
  maxWorkers: 1,
  testTimeout: 300_000,
};
