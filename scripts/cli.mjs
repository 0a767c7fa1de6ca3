#!/usr/bin/env node
// Operator CLI over the admin API (/admin/v1) on the gateway's management listener. Env: GATEWAY_ADMIN_URL
// (default http://127.0.0.1:3002), ADMIN_API_KEY.
//   npm run cli -- tenants add 313876144 "Sparebank Super" --scopes altinn:consentrequests.write,altinn:consentrequests.read
//   npm run cli -- tenants list | tenants show <id> | tenants suspend <id> | tenants resume <id> | tenants offboard <id>
//   npm run cli -- api-keys issue <tenantId> [--name <label>] | api-keys list <tenantId> | api-keys revoke <tenantId> <keyId>
//   npm run cli -- delegation-check <tenantId> | jwks | audit-log [--tenant <id>]
import { existsSync, readFileSync } from 'node:fs';
import process from 'node:process';

const USAGE = `usage: npm run cli -- <command>
  tenants add <orgNumber> <name> [--scopes a,b]   onboard a tenant (queues its delegation check)
  tenants list                                    list tenants
  tenants show <tenantId>                         one tenant with its scopes' delegation state
  tenants suspend|resume|offboard <tenantId>      change a tenant's status
  api-keys issue <tenantId> [--name <label>]      issue a tenant API key (shown once)
  api-keys list <tenantId>                        list a tenant's keys (prefixes only)
  api-keys revoke <tenantId> <keyId>              revoke one key
  delegation-check <tenantId>                     queue a delegation check
  jwks                                            the client's public keys, to register at Maskinporten
  audit-log [--tenant <tenantId>]                 the newest audit records
env: GATEWAY_ADMIN_URL (the management listener; default http://127.0.0.1:3002), ADMIN_API_KEY (both default to what a running "npm start" left in .sgw-local.json)
`;

function parse(argv) {
  const positional = [];
  const options = {};
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i].startsWith('--')) {
      options[argv[i].slice(2)] = argv[i + 1];
      i += 1;
    } else positional.push(argv[i]);
  }
  return { positional, options };
}

async function call(method, path, body) {
  // A running `npm start` leaves its URL and generated admin key in .sgw-local.json.
  const localFile = new URL('../.sgw-local.json', import.meta.url);
  const local = existsSync(localFile) ? JSON.parse(readFileSync(localFile, 'utf8')) : {};
  const base = (process.env.GATEWAY_ADMIN_URL || local.adminUrl || 'http://127.0.0.1:3002').replace(
    /\/$/,
    '',
  );
  const key = process.env.ADMIN_API_KEY || local.adminApiKey;
  if (!key) throw new Error('ADMIN_API_KEY is not set (npm start prints the one it generated)');
  const headers = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const problem = parsed ?? {};
    const fields = (problem.errors ?? []).map(
      (error) => `\n  ${error.parameter ?? error.pointer}: ${error.detail}`,
    );
    throw new Error(`${response.status} ${problem.title ?? ''}: ${problem.detail ?? text}${fields.join('')}`);
  }
  return parsed;
}

const need = (value, name) => {
  if (value === undefined || value === '') throw new Error(`missing <${name}>\n\n${USAGE}`);
  return encodeURIComponent(value);
};

async function run(positional, options) {
  const [group, action, ...rest] = positional;
  switch (`${group} ${action ?? ''}`.trim()) {
    case 'tenants add':
      return call('POST', '/admin/v1/tenants', {
        orgNumber: rest[0],
        name: rest[1],
        scopes: options.scopes
          ? options.scopes
              .split(',')
              .map((scope) => scope.trim())
              .filter(Boolean)
          : [],
      });
    case 'tenants list':
      return call('GET', '/admin/v1/tenants?limit=200');
    case 'tenants show':
      return call('GET', `/admin/v1/tenants/${need(rest[0], 'tenantId')}`);
    case 'tenants suspend':
      return call('PATCH', `/admin/v1/tenants/${need(rest[0], 'tenantId')}`, { status: 'suspended' });
    case 'tenants resume':
      return call('PATCH', `/admin/v1/tenants/${need(rest[0], 'tenantId')}`, { status: 'active' });
    case 'tenants offboard':
      return call('DELETE', `/admin/v1/tenants/${need(rest[0], 'tenantId')}`);
    case 'api-keys issue':
      return call('POST', `/admin/v1/tenants/${need(rest[0], 'tenantId')}/api-keys`, {
        name: options.name ?? '',
      });
    case 'api-keys list':
      return call('GET', `/admin/v1/tenants/${need(rest[0], 'tenantId')}/api-keys`);
    case 'api-keys revoke':
      return call(
        'DELETE',
        `/admin/v1/tenants/${need(rest[0], 'tenantId')}/api-keys/${need(rest[1], 'keyId')}`,
      );
    default:
      break;
  }
  switch (group) {
    case 'delegation-check':
      return call('POST', `/admin/v1/tenants/${need(action, 'tenantId')}/delegation-check`);
    case 'jwks':
      return call('GET', '/admin/v1/signing/jwks');
    case 'audit-log':
      return call(
        'GET',
        `/admin/v1/audit-log${options.tenant ? `?tenantId=${encodeURIComponent(options.tenant)}` : ''}`,
      );
    default:
      throw new Error(USAGE);
  }
}

const { positional, options } = parse(process.argv.slice(2));
if (positional.length === 0 || positional[0] === 'help' || 'help' in options) {
  process.stdout.write(USAGE);
} else {
  run(positional, options).then(
    (result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`),
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
