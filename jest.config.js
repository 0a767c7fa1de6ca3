// One Jest project per app and lib, all sharing one SWC transform and the @gw/* path map.
const fs = require('node:fs');
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    `<rootDir>/${target}`,
  ]),
);

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcrc.$schema;

const packageDirs = ['apps', 'libs'].flatMap((group) =>
  fs
    .readdirSync(path.join(__dirname, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${group}/${entry.name}`),
);
// deploy/test renders the Kubernetes overlays (deploy/k8s) and checks them.
packageDirs.push('deploy');
// packages/client: the typed client for banks, and the test that its committed contract is what the code generates.
packageDirs.push('packages/client');

const ESM_TO_COMMONJS = {
  swcrc: false,
  jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
  module: { type: 'commonjs' },
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30_000,
  projects: packageDirs.map((dir) => ({
    displayName: dir,
    rootDir: __dirname,
    roots: [`<rootDir>/${dir}`],
    testEnvironment: 'node',
    testMatch: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    transform: {
      '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }],
      // content-disposition ≥ 3 (@bull-board/fastify → @fastify/static) is ESM only: Node ≥ 20.19 requires it
      // as is, Jest's module loader does not.
      '/node_modules/content-disposition/.+\\.js$': ['@swc/jest', ESM_TO_COMMONJS],
    },
    transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
    moduleNameMapper,
    setupFiles: ['reflect-metadata'],
  })),
};
