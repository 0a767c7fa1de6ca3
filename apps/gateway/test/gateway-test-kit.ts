import { randomUUID } from 'node:crypto';
import { gatewayConfigSchema, loadConfig } from '@gw/config';
import { createTestDatabase, type TestDatabase } from '@gw/persistence/testing';
import { deleteRedisKeys } from '@test/resources';
import { startGateway, type RunningGateway } from '../src/gateway.bootstrap';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ADMIN_KEY = `test-admin-${randomUUID()}`;
export const SECOND_ADMIN_KEY = `test-admin-${randomUUID()}`;

export interface HttpAnswer<T = any> {
  status: number;
  contentType: string | null;
  headers: Headers;
  body: T;
}

/** A gateway on a fresh database and its own Redis prefix, with an HTTP client for the tests. */
export class GatewayTestKit {
  readonly queuePrefix = `sgw-test-${randomUUID()}`;
  database!: TestDatabase;
  gateway!: RunningGateway;

  async start(env: Record<string, string> = {}): Promise<this> {
    this.database = await createTestDatabase();
    this.gateway = await startGateway(
      loadConfig(gatewayConfigSchema, {
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        NODE_ENV: 'test',
        DATABASE_URL: this.database.url,
        REDIS_URL,
        QUEUE_PREFIX: this.queuePrefix,
        ADMIN_API_KEY: `${ADMIN_KEY},${SECOND_ADMIN_KEY}`,
        ...env,
      }),
    );
    return this;
  }

  /** The public listener: the tenant API, the probes and the tenant API's docs. */
  get url(): string {
    return this.gateway.url;
  }

  /** The management listener: the admin API, bull-board, the admin docs, `/metrics` and the probes. */
  get adminUrl(): string {
    return this.gateway.adminUrl;
  }

  /**
   * A request to the gateway; by default to the listener that serves `path` (`/admin/…` and `/metrics`
   * the management one), or to the one `on` names.
   */
  async request<T = any>(
    method: string,
    path: string,
    options: {
      key?: string | null;
      body?: unknown;
      rawBody?: string;
      headers?: Record<string, string>;
      on?: 'public' | 'management';
    } = {},
  ): Promise<HttpAnswer<T>> {
    const key = options.key === undefined ? ADMIN_KEY : options.key;
    const headers: Record<string, string> = { ...options.headers };
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const on = options.on ?? (/^\/(admin\/|metrics([?#]|$))/.test(path) ? 'management' : 'public');
    const base = on === 'management' ? this.adminUrl : this.url;
    const response = await fetch(`${base}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      headers: response.headers,
      body: parsed as T,
    };
  }

  /** Onboards a tenant and issues it a key. */
  async onboard(
    orgNumber: string,
    name: string,
    scopes: string[] = [],
  ): Promise<{ tenantId: string; key: string }> {
    const created = await this.request('POST', '/admin/v1/tenants', { body: { orgNumber, name, scopes } });
    if (created.status !== 201)
      throw new Error(`onboarding ${orgNumber}: ${created.status} ${JSON.stringify(created.body)}`);
    const issued = await this.request('POST', `/admin/v1/tenants/${created.body.id}/api-keys`, {
      body: { name: 'test' },
    });
    if (issued.status !== 201)
      throw new Error(`key for ${orgNumber}: ${issued.status} ${JSON.stringify(issued.body)}`);
    return { tenantId: created.body.id as string, key: issued.body.key as string };
  }

  async close(): Promise<void> {
    await this.gateway?.close();
    await this.database?.drop();
    await deleteRedisKeys(this.queuePrefix);
  }
}
