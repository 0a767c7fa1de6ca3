import { BlockList, isIP } from 'node:net';

/**
 * The local stack's values: the simulator on 127.0.0.1:3100 with the client, KMS key and provider it seeds,
 * and this machine's Postgres and Redis. Defaults outside production; production has no default for any
 * of them and refuses the simulator's (`productionIssues`).
 */
export const LOCAL_DEFAULTS = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  REDIS_URL: 'redis://127.0.0.1:6379',
  MASKINPORTEN_ISSUER: 'http://127.0.0.1:3100/',
  MASKINPORTEN_CLIENT_ID: 'sgw-local-client',
  ALTINN_BASE_URL: 'http://127.0.0.1:3100',
  KMS_KEY_ID: 'alias/sgw-maskinporten',
  PROVIDER_ORG_NUMBER: '310149942',
} as const;

/** Variables with a local default that a production process must be given. */
export type RequiredInProduction = keyof typeof LOCAL_DEFAULTS;

/** Upstream URLs: https and not this machine in production (an http: or loopback URL is the simulator). */
export type UpstreamUrlVariable =
  'MASKINPORTEN_ISSUER' | 'MASKINPORTEN_TOKEN_ENDPOINT' | 'ALTINN_BASE_URL' | 'KMS_ENDPOINT';

export interface ConfigIssue {
  variable: string;
  message: string;
}

export interface ProductionRules {
  required: readonly RequiredInProduction[];
  upstreamUrls: readonly UpstreamUrlVariable[];
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
// "This host": connecting to 0.0.0.0 or :: reaches the local machine.
LOOPBACK.addSubnet('0.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addAddress('::', 'ipv6');

/** Whether a URL's hostname names this machine (IPv4-mapped IPv6 and `*.localhost` included). */
export function isLocalHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * What keeps a configuration from running in production: a required variable left unset (its local
 * default would point the process at this machine or the simulator), an upstream URL that is http: or
 * loopback, the simulator's client id or the example provider. `allowLocalUpstreams` waives the
 * value checks (not the required variables) for a production-mode stack on one machine, e.g. benchmarks.
 */
export function productionIssues(
  config: Readonly<Record<string, unknown>>,
  rules: ProductionRules,
  allowLocalUpstreams: boolean,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const variable of rules.required) {
    if (config[variable] === undefined)
      issues.push({ variable, message: 'is required when NODE_ENV=production' });
  }
  if (allowLocalUpstreams) return issues;
  for (const variable of rules.upstreamUrls) {
    const value = config[variable];
    if (typeof value !== 'string') continue;
    const url = new URL(value);
    if (isLocalHost(url.hostname)) {
      issues.push({
        variable,
        message: `points at this machine (${url.hostname}); when NODE_ENV=production it must name the real service`,
      });
    } else if (url.protocol !== 'https:') {
      issues.push({ variable, message: 'must be an https: URL when NODE_ENV=production' });
    }
  }
  if (config.MASKINPORTEN_CLIENT_ID === LOCAL_DEFAULTS.MASKINPORTEN_CLIENT_ID) {
    issues.push({
      variable: 'MASKINPORTEN_CLIENT_ID',
      message:
        "is the simulator's client; when NODE_ENV=production set the provider's Maskinporten client id",
    });
  }
  if (config.PROVIDER_ORG_NUMBER === LOCAL_DEFAULTS.PROVIDER_ORG_NUMBER) {
    issues.push({
      variable: 'PROVIDER_ORG_NUMBER',
      message:
        "is the local stack's example provider; when NODE_ENV=production set the provider's own organization number",
    });
  }
  return issues;
}

/**
 * `SGW_ALLOW_LOCAL_UPSTREAMS` is for a production-mode stack on one machine; in a cluster (Kubernetes sets
 * KUBERNETES_SERVICE_HOST in every container) it would switch the checks off where they matter.
 */
export function allowLocalUpstreamsIssue(config: {
  SGW_ALLOW_LOCAL_UPSTREAMS: boolean;
  KUBERNETES_SERVICE_HOST?: string;
}): ConfigIssue | undefined {
  if (!config.SGW_ALLOW_LOCAL_UPSTREAMS || config.KUBERNETES_SERVICE_HOST === undefined) return undefined;
  return {
    variable: 'SGW_ALLOW_LOCAL_UPSTREAMS',
    message: 'is for a stack on one machine and refused in Kubernetes (KUBERNETES_SERVICE_HOST is set)',
  };
}
