#!/usr/bin/env node
// The operator CLI over the admin API (/admin/v1) on the gateway's management listener: plain Node, no build.
// `npm run cli -- help` lists the commands; README.md "Operator CLI" has examples that run after `npm start`.
import { existsSync, readFileSync } from 'node:fs';
import process from 'node:process';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';

const USAGE = `usage: npm run cli -- <command> [--json]

tenants
  tenants add <orgNumber> <name> [--scopes <scope,scope>]   onboard a tenant (queues its delegation check)
  tenants list [--status <s>] [--delegation <d>] [--q <text>] [paging]
                                          status: active|suspended|offboarded
                                          delegation: verified|failing|pending|none
  tenants find <orgNumber>                the tenant with this organisation number
  tenants show <tenant>                   one tenant with its scopes' delegation state
  tenants rename <tenant> <name>
  tenants set-scopes <tenant> <scope,scope>   replace the scopes ("" for none); added ones are checked
  tenants add-scope <tenant> <scope>
  tenants remove-scope <tenant> <scope>
  tenants suspend <tenant>                its keys stop working until it is resumed
  tenants resume <tenant>
  tenants offboard <tenant> [--yes]       final: revokes every key; asks you to type the org number
api-keys
  api-keys issue <tenant> [--name <label>]    issue a tenant API key (shown once)
  api-keys list <tenant>                  a tenant's keys, live and revoked (prefixes only)
  api-keys revoke <tenant> <keyId>        revoke one key; the others keep working
delegation-check <tenant>                 queue a delegation check (a Maskinporten token per scope)
jwks                                      the client's public keys, to register at Maskinporten
audit-log [filters] [paging]              the audit log, newest first
audit-log export [filters]                every record the filters select, oldest first, as NDJSON
  filters: --tenant <tenant> --actor <actor> --action <action or prefix.> --target <target>
           --from <ISO date-time> --to <ISO date-time>

<tenant> is a tenant id (UUID) or an organisation number (9 digits).
paging: --limit <n> (1-200), --after <cursor> (the "next" a page printed), --all (every page)
--json prints the admin API's JSON instead of tables.
env: GATEWAY_ADMIN_URL (the management listener; default http://127.0.0.1:3002), ADMIN_API_KEY
     (both default to what a running "npm start" left in .sgw-local.json)
exit codes: 0 done, 1 the gateway refused or could not be reached, 2 bad usage
`;

/** Bad usage: printed with the usage, exit code 2. */
class UsageError extends Error {}

/** A problem+json answer (or none) from the gateway: exit code 1. */
class ApiError extends Error {
  constructor(status, problem, text) {
    super(problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.text = text;
  }
}

const string = { type: 'string' };
const boolean = { type: 'boolean' };
const PAGING = { limit: string, after: string, all: boolean };
const AUDIT_FILTERS = {
  tenant: string,
  actor: string,
  action: string,
  target: string,
  from: string,
  to: string,
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ORG_NUMBER = /^\d{9}$/;

// ---------------------------------------------------------------------------------------------- the API

function connection() {
  // A running `npm start` leaves its URLs and generated admin key in .sgw-local.json.
  const localFile = new URL('../.sgw-local.json', import.meta.url);
  const local = existsSync(localFile) ? JSON.parse(readFileSync(localFile, 'utf8')) : {};
  const base = (process.env.GATEWAY_ADMIN_URL || local.adminUrl || 'http://127.0.0.1:3002').replace(
    /\/+$/,
    '',
  );
  const key = process.env.ADMIN_API_KEY || local.adminApiKey;
  if (!key)
    throw new Error('ADMIN_API_KEY is not set and no .sgw-local.json was found (is "npm start" running?)');
  return { base, key };
}

async function request(method, path, body) {
  const { base, key } = connection();
  const headers = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new Error(
      `cannot reach the gateway at ${base} (${error.cause?.code ?? error.cause?.message ?? error.message})`,
    );
  }
  return response;
}

async function call(method, path, body) {
  const response = await request(method, path, body);
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) throw new ApiError(response.status, parsed, text);
  return parsed;
}

function query(params) {
  const entries = Object.entries(params).filter(([, value]) => value !== undefined && value !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`;
}

/** One page, or with `--all` every page followed through `next`. */
async function pages(path, params, options) {
  const first = await call(
    'GET',
    `${path}${query({ ...params, limit: options.limit, cursor: options.after })}`,
  );
  if (!options.all) return first;
  const data = [...first.data];
  let next = first.next;
  while (next) {
    const page = await call(
      'GET',
      `${path}${query({ ...params, limit: options.limit ?? 200, cursor: next })}`,
    );
    data.push(...page.data);
    next = page.next;
  }
  return { data, next: null };
}

/** A tenant argument: a UUID as it is, an organisation number looked up. */
async function tenantIdOf(tenant) {
  if (UUID.test(tenant)) return tenant;
  if (!ORG_NUMBER.test(tenant)) {
    throw new UsageError(
      `<tenant> must be a tenant id (UUID) or an organisation number (9 digits): ${tenant}`,
    );
  }
  return (await tenantByOrgNumber(tenant)).id;
}

async function tenantByOrgNumber(orgNumber) {
  const page = await call('GET', `/admin/v1/tenants${query({ orgNumber })}`);
  if (page.data.length === 0) throw new Error(`no tenant has organisation number ${orgNumber}`);
  return page.data[0];
}

const tenantPath = async (tenant, rest = '') => `/admin/v1/tenants/${await tenantIdOf(tenant)}${rest}`;

const scopeList = (text) =>
  text
    .split(',')
    .map((scope) => scope.trim())
    .filter(Boolean);

// --------------------------------------------------------------------------------------------- printing

function table(rows, columns) {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((row) => columns.map(([, value]) => String(value(row) ?? '-')));
  const widths = columns.map(([title], index) =>
    Math.max(title.length, ...cells.map((line) => line[index].length)),
  );
  const line = (values) =>
    values
      .map((value, index) => (index === values.length - 1 ? value : value.padEnd(widths[index])))
      .join('  ')
      .trimEnd();
  return `${[line(columns.map(([title]) => title)), ...cells.map(line)].join('\n')}\n`;
}

const shortened = (text, length) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

function fields(pairs) {
  const width = Math.max(...pairs.map(([name]) => name.length));
  return `${pairs.map(([name, value]) => `${`${name}:`.padEnd(width + 2)}${value ?? '-'}`).join('\n')}\n`;
}

const scopeState = (scope) =>
  scope.lastError ? `failing (${scope.lastError.code})` : scope.verifiedAt ? 'verified' : 'pending';

const TENANT_COLUMNS = [
  ['ID', (tenant) => tenant.id],
  ['ORG NUMBER', (tenant) => tenant.orgNumber],
  ['NAME', (tenant) => tenant.name],
  ['STATUS', (tenant) => tenant.status],
  ['DELEGATION', (tenant) => tenant.delegation],
  ['SCOPES', (tenant) => tenant.scopes.length],
];

function printTenant(tenant) {
  return (
    fields([
      ['id', tenant.id],
      ['org number', tenant.orgNumber],
      ['name', tenant.name],
      ['status', tenant.status],
      ['delegation', tenant.delegation],
      ['created', tenant.createdAt],
      ['updated', tenant.updatedAt],
    ]) +
    `\n${table(tenant.scopes, [
      ['SCOPE', (scope) => scope.scope],
      ['STATE', scopeState],
      ['VERIFIED AT', (scope) => scope.verifiedAt],
      ['LAST ERROR', (scope) => scope.lastError && shortened(scope.lastError.message, 100)],
    ])}`
  );
}

const KEY_COLUMNS = [
  ['ID', (key) => key.id],
  ['PREFIX', (key) => key.prefix],
  ['NAME', (key) => key.name || '-'],
  ['CREATED', (key) => key.createdAt],
  ['LAST USED', (key) => key.lastUsedAt],
  ['REVOKED', (key) => key.revokedAt],
];

const AUDIT_COLUMNS = [
  ['OCCURRED AT', (record) => record.occurredAt],
  ['ACTOR', (record) => record.actor],
  ['ACTION', (record) => record.action],
  ['TARGET', (record) => record.target],
  ['DETAILS', (record) => JSON.stringify(record.details)],
];

function printPage(page, columns) {
  const more = page.next ? `\nmore: --after ${page.next}   (or --all)\n` : '';
  return table(page.data, columns) + more;
}

// --------------------------------------------------------------------------------------------- commands

/**
 * Each command: its positional arguments (names; a trailing `?` marks an optional one), its flags, and what
 * it does: `run` answers `{ json, text }`, what `--json` prints and what a person reads.
 */
const COMMANDS = {
  'tenants add': {
    args: ['orgNumber', 'name'],
    flags: { scopes: string },
    run: async ([orgNumber, name], options) => {
      const tenant = await call('POST', '/admin/v1/tenants', {
        orgNumber,
        name,
        scopes: options.scopes === undefined ? [] : scopeList(options.scopes),
      });
      return { json: tenant, text: `Onboarded; delegation check queued.\n${printTenant(tenant)}` };
    },
  },
  'tenants list': {
    args: [],
    flags: { status: string, delegation: string, q: string, ...PAGING },
    run: async (_args, options) => {
      const page = await pages(
        '/admin/v1/tenants',
        { status: options.status, delegation: options.delegation, q: options.q },
        options,
      );
      return { json: page, text: printPage(page, TENANT_COLUMNS) };
    },
  },
  'tenants find': {
    args: ['orgNumber'],
    run: async ([orgNumber]) => {
      const tenant = await tenantByOrgNumber(orgNumber);
      return { json: tenant, text: printTenant(tenant) };
    },
  },
  'tenants show': {
    args: ['tenant'],
    run: async ([tenant]) => {
      const shown = await call('GET', await tenantPath(tenant));
      return { json: shown, text: printTenant(shown) };
    },
  },
  'tenants rename': {
    args: ['tenant', 'name'],
    run: ([tenant, name]) => patchTenant(tenant, () => ({ name }), 'Renamed'),
  },
  'tenants set-scopes': {
    args: ['tenant', 'scopes'],
    run: ([tenant, scopes]) => patchTenant(tenant, () => ({ scopes: scopeList(scopes) }), 'Scopes set'),
  },
  'tenants add-scope': {
    args: ['tenant', 'scope'],
    run: ([tenant, scope]) =>
      patchTenant(
        tenant,
        (current) => ({ scopes: [...current.scopes.map((s) => s.scope), scope] }),
        'Scope added',
      ),
  },
  'tenants remove-scope': {
    args: ['tenant', 'scope'],
    run: ([tenant, scope]) =>
      patchTenant(
        tenant,
        (current) => {
          const scopes = current.scopes.map((s) => s.scope);
          if (!scopes.includes(scope)) throw new Error(`${current.orgNumber} has no scope ${scope}`);
          return { scopes: scopes.filter((s) => s !== scope) };
        },
        'Scope removed',
      ),
  },
  'tenants suspend': {
    args: ['tenant'],
    run: ([tenant]) => patchTenant(tenant, () => ({ status: 'suspended' }), 'Suspended'),
  },
  'tenants resume': {
    args: ['tenant'],
    run: ([tenant]) => patchTenant(tenant, () => ({ status: 'active' }), 'Resumed'),
  },
  'tenants offboard': {
    args: ['tenant'],
    flags: { yes: boolean },
    run: async ([tenant], options) => {
      const path = await tenantPath(tenant);
      const current = await call('GET', path);
      if (!options.yes) await confirmOffboarding(current);
      const offboarded = await call('DELETE', path);
      return { json: offboarded, text: `Offboarded; its keys are revoked.\n${printTenant(offboarded)}` };
    },
  },
  'api-keys issue': {
    args: ['tenant'],
    flags: { name: string },
    run: async ([tenant], options) => {
      const issued = await call('POST', await tenantPath(tenant, '/api-keys'), { name: options.name ?? '' });
      return {
        json: issued,
        text:
          fields([
            ['key', issued.key],
            ['id', issued.id],
            ['prefix', issued.prefix],
            ['name', issued.name || '-'],
          ]) + 'The key is shown this once: store it now.\n',
      };
    },
  },
  'api-keys list': {
    args: ['tenant'],
    run: async ([tenant]) => {
      const keys = await call('GET', await tenantPath(tenant, '/api-keys'));
      return { json: keys, text: table(keys.data, KEY_COLUMNS) };
    },
  },
  'api-keys revoke': {
    args: ['tenant', 'keyId'],
    run: async ([tenant, keyId]) => {
      const revoked = await call(
        'DELETE',
        await tenantPath(tenant, `/api-keys/${encodeURIComponent(keyId)}`),
      );
      return { json: revoked, text: `Revoked.\n${table([revoked], KEY_COLUMNS)}` };
    },
  },
  'delegation-check': {
    args: ['tenant'],
    run: async ([tenant]) => {
      const queued = await call('POST', await tenantPath(tenant, '/delegation-check'));
      return {
        json: queued,
        text: `Delegation check queued (job ${queued.jobId}); "tenants show" has its result once it ran.\n`,
      };
    },
  },
  jwks: {
    args: [],
    run: async () => {
      const jwks = await call('GET', '/admin/v1/signing/jwks');
      return {
        json: jwks,
        text:
          table(jwks.keys, [
            ['KID', (key) => key.kid],
            ['ALG', (key) => key.alg],
            ['KTY', (key) => key.kty],
            ['USE', (key) => key.use],
          ]) + `published ${jwks.publishedAt}; "jwks --json" prints the JWKS to register at Maskinporten\n`,
      };
    },
  },
  'audit-log': {
    args: [],
    flags: { ...AUDIT_FILTERS, ...PAGING },
    run: async (_args, options) => {
      const page = await pages('/admin/v1/audit-log', await auditFilters(options), options);
      return { json: page, text: printPage(page, AUDIT_COLUMNS) };
    },
  },
  'audit-log export': {
    args: [],
    flags: AUDIT_FILTERS,
    stream: true,
    run: async (_args, options) => {
      const response = await request(
        'GET',
        `/admin/v1/audit-log/export${query(await auditFilters(options))}`,
      );
      if (!response.ok) {
        const text = await response.text();
        throw new ApiError(response.status, safeJson(text), text);
      }
      // NDJSON is already for machines: it streams to stdout as it arrives, with or without --json.
      for await (const chunk of response.body) await write(process.stdout, chunk);
    },
  },
};

async function patchTenant(tenant, patchOf, done) {
  const path = await tenantPath(tenant);
  const current = await call('GET', path);
  const changed = await call('PATCH', path, patchOf(current));
  return { json: changed, text: `${done}.\n${printTenant(changed)}` };
}

async function auditFilters(options) {
  return {
    tenantId: options.tenant === undefined ? undefined : await tenantIdOf(options.tenant),
    actor: options.actor,
    action: options.action,
    target: options.target,
    from: options.from,
    to: options.to,
  };
}

/** Offboarding is final: a person types the organisation number; without a terminal, only `--yes` will do. */
async function confirmOffboarding(tenant) {
  if (!process.stdin.isTTY) {
    throw new UsageError('tenants offboard is final: run it in a terminal to confirm, or pass --yes');
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const typed = await prompt.question(
      `Offboarding ${tenant.name} (${tenant.orgNumber}) is final: every key is revoked and it cannot come back.\n` +
        `Type its organisation number to confirm: `,
    );
    if (typed.trim() !== tenant.orgNumber) throw new Error('not confirmed: nothing was changed');
  } finally {
    prompt.close();
  }
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function write(stream, text) {
  return new Promise((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())));
}

// ------------------------------------------------------------------------------------------------- main

/** The command the words name: the longest known prefix of two words, then one. */
function commandOf(positionals) {
  for (const length of [2, 1]) {
    const name = positionals.slice(0, length).join(' ');
    if (COMMANDS[name]) return { name, command: COMMANDS[name], args: positionals.slice(length) };
  }
  throw new UsageError(`unknown command: ${positionals.slice(0, 2).join(' ') || '(none)'}`);
}

function problemText(error) {
  const problem = error.problem;
  if (!problem) return `error: HTTP ${error.status}${error.text ? `: ${error.text.slice(0, 500)}` : ''}`;
  const lines = [
    `error: ${problem.title ?? 'request refused'} (${problem.status ?? error.status}${problem.code ? `, ${problem.code}` : ''})`,
  ];
  if (problem.detail) lines.push(`  ${problem.detail}`);
  for (const field of problem.errors ?? []) {
    lines.push(`  - ${field.parameter ?? field.pointer ?? '(body)'}: ${field.detail}`);
  }
  if (problem.retryAfterSeconds !== undefined) lines.push(`  retry after ${problem.retryAfterSeconds} s`);
  return lines.join('\n');
}

async function main(argv) {
  if (argv.length === 0) throw new UsageError('no command');
  if (argv[0] === 'help' || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  // The command's words come first, before any flag.
  const firstFlag = argv.findIndex((arg) => arg.startsWith('-'));
  const { name, command } = commandOf(argv.slice(0, firstFlag === -1 ? argv.length : firstFlag));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { json: boolean, ...command.flags },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${name}: ${error.message.split('. ')[0]}`);
  }
  const args = parsed.positionals.slice(name.split(' ').length);
  if (args.length !== command.args.length) {
    throw new UsageError(
      `${name} takes ${command.args.map((arg) => `<${arg}>`).join(' ') || 'no arguments'}`,
    );
  }
  const options = parsed.values;
  if (options.limit !== undefined && !/^\d+$/.test(options.limit)) {
    throw new UsageError(`--limit must be a whole number: ${options.limit}`);
  }
  const result = await command.run(args, options);
  if (command.stream) return;
  process.stdout.write(options.json ? `${JSON.stringify(result.json, null, 2)}\n` : result.text);
}

main(process.argv.slice(2)).catch((error) => {
  if (error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else if (error instanceof ApiError) {
    process.stderr.write(`${problemText(error)}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
});
