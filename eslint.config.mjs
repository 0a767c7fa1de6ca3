import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// Libs import each other only downward (docs/architecture.md "Libraries"). A lib may import libs of a lower
// layer, never its own layer or above; the simulator stands in for the upstreams and may use only @gw/config.
const LAYERS = [
  ['redaction', 'identifiers'],
  ['tracing'],
  ['config', 'persistence', 'queue', 'http', 'rate-limit'],
  ['observability', 'audit', 'signing', 'personal-data', 'events'],
  ['tenants', 'circuit-breaker'],
  ['auth', 'maskinporten', 'altinn'],
  ['consent', 'webhooks'],
  ['operator-console'],
];
const DEEP_IMPORT = {
  group: ['@gw/*/src/*', '**/libs/*/src/**'],
  message: 'Import a lib only through @gw/<lib> (its index.ts).',
};
const layerRules = LAYERS.flatMap((layer, rank) =>
  layer.map((lib) => {
    const higher = LAYERS.slice(rank)
      .flat()
      .filter((other) => other !== lib)
      .map((other) => `@gw/${other}`);
    const layerPattern = {
      group: higher,
      message: `libs/${lib} is in layer ${rank}: it may import only libs of lower layers (eslint.config.mjs).`,
    };
    // The top layer's only lib has nothing above it: ESLint refuses an empty pattern group.
    const patterns = higher.length > 0 ? [DEEP_IMPORT, layerPattern] : [DEEP_IMPORT];
    return {
      files: [`libs/${lib}/src/**/*.ts`],
      rules: { 'no-restricted-imports': ['error', { patterns }] },
    };
  }),
);
const simulatorRule = {
  files: ['apps/simulator/src/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          DEEP_IMPORT,
          {
            group: ['@gw/*', '!@gw/config'],
            message:
              'The simulator stands in for the upstreams: it may use only @gw/config, never gateway code.',
          },
        ],
      },
    ],
  },
};

// Who may spell a table in SQL: another lib's statement embeds the owner's fragment (insertEventsSql from
// @gw/events, TENANT_REGISTRY_SQL from @gw/tenants), so a table's columns change in its own lib only.
const SQL_TABLE_OWNERS = [
  {
    owner: 'events',
    pattern: /\bINSERT\s+INTO\s+events\b/i,
    message: 'Only libs/events writes the outbox: embed insertEventsSql (@gw/events).',
  },
  {
    owner: 'tenants',
    pattern: /\b(FROM|JOIN)\s+tenants\b/i,
    message: 'Only libs/tenants reads the tenants table: join TENANT_REGISTRY_SQL (@gw/tenants).',
  },
];
const sqlTableOwnerPlugin = {
  rules: {
    'sql-table-owner': {
      meta: { type: 'problem', schema: [] },
      create(context) {
        const lib = /(?:^|\/)libs\/([^/]+)\//.exec(context.filename.replaceAll('\\', '/'))?.[1];
        const check = (node, text) => {
          for (const { owner, pattern, message } of SQL_TABLE_OWNERS) {
            if (lib !== owner && pattern.test(text)) context.report({ node, message });
          }
        };
        return {
          Literal: (node) => typeof node.value === 'string' && check(node, node.value),
          TemplateElement: (node) => check(node, node.value.raw),
        };
      },
    },
  },
};
const sqlTableOwnerRule = {
  files: ['apps/**/*.ts', 'libs/**/*.ts'],
  // Migrations create and backfill the tables; tests arrange rows directly.
  ignores: [
    '**/migrations/**',
    '**/*.spec.ts',
    '**/*.int-spec.ts',
    '**/*.e2e-spec.ts',
    '**/test/**/*.ts',
    'libs/*/testing/**/*.ts',
  ],
  plugins: { gw: sqlTableOwnerPlugin },
  rules: { 'gw/sql-table-owner': 'error' },
};

const TEST_FILES = [
  '**/*.spec.ts',
  '**/*.int-spec.ts',
  '**/*.e2e-spec.ts',
  '**/test/**/*.ts',
  'libs/*/testing/**/*.ts',
];
// Jobs are built and read only through the job envelope of libs/queue (docs/architecture.md "Queues"): a
// name checked against its queue's jobs, every job id from its one job-id module.
const JOB_ENVELOPE_SYNTAX = [
  {
    selector: "CallExpression[callee.property.name='add'][arguments.0.type='Literal']",
    message:
      "A job's name comes from the envelope: queue.add(jobName(queue, 'name'), …) or jobOf(…) (@gw/queue).",
  },
  {
    selector:
      "CallExpression[callee.property.name='addBulk'] Property[key.name='name'][value.type='Literal']",
    message: "A job's name comes from the envelope: build the jobs with jobOf(…) (@gw/queue).",
  },
  {
    selector:
      "CallExpression:matches([callee.property.name=/^(add|addBulk)$/], [callee.name='jobOf']) Property[key.name='jobId'][value.type!='CallExpression']",
    message: 'Job ids are built by jobIds.* (@gw/queue), the one module that builds them.',
  },
];
const SCHEDULER_ID_SYNTAX = {
  selector: "CallExpression[callee.name='keepJobScheduler'][arguments.1.type!='CallExpression']",
  message: 'Scheduler ids are built by schedulerIds.* (@gw/queue), the one module that builds them.',
};
// A processor parses its job, calls one lib method and reports the result; the job's outcome (fail for
// good, re-delay) is decided by libs/queue's settleJob and delayJob.
const PROCESSOR_SYNTAX = [
  {
    selector: "MemberExpression[object.name='job'][property.name='data']",
    message: 'Read a job through parseJob (@gw/queue): a checked payload with a branded TenantId.',
  },
  {
    selector: "CallExpression[callee.name='asTenantId']",
    message:
      'A job payload’s tenant id is checked and branded by parseJob (@gw/queue), never re-branded here.',
  },
  {
    selector: 'NewExpression[callee.name=/^(UnrecoverableError|DelayedError)$/]',
    message: "A job's outcome is decided in @gw/queue: settleJob or delayJob.",
  },
  {
    selector: "CallExpression[callee.property.name='moveToDelayed']",
    message: "A job's outcome is decided in @gw/queue: settleJob or delayJob.",
  },
];
const jobRules = [
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: [...TEST_FILES, 'libs/queue/src/domain/job-ids.ts'],
    rules: { 'no-restricted-syntax': ['error', ...JOB_ENVELOPE_SYNTAX, SCHEDULER_ID_SYNTAX] },
  },
  {
    files: ['apps/worker/src/**/*.ts'],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-syntax': ['error', ...JOB_ENVELOPE_SYNTAX, SCHEDULER_ID_SYNTAX, ...PROCESSOR_SYNTAX],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [DEEP_IMPORT],
        },
      ],
    },
  },
  ...layerRules,
  simulatorRule,
  sqlTableOwnerRule,
  ...jobRules,
  {
    files: TEST_FILES,
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      // HTTP answers in e2e tests are untyped JSON read field by field.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      'no-console': 'off',
    },
  },
  prettier,
);
