import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { Metrics } from '@gw/observability';
import { QUEUE_OPTIONS, type QueueModuleOptions, REDIS_CONNECTION, subscriberConnection } from '@gw/queue';
import { type TenantId } from '@gw/tenants';
import { type ApiKeyCredential, ApiKeyRepository } from './api-key.repository';
import { AUTH_OPTIONS, type AuthOptions } from './auth.options';
import { CredentialCache } from './domain/credential-cache';
import {
  type CredentialInvalidation,
  decodeInvalidation,
  encodeInvalidation,
} from './domain/credential-invalidation';

const DEFAULT_CREDENTIAL_CACHE_TTL_MS = 30_000;
const DEFAULT_CREDENTIAL_CACHE_ENTRIES = 10_000;
const UNKNOWN_PREFIX_ENTRIES = 1_000;
/** A change is committed before it is published: the answer to the admin waits this long at most. */
const PUBLISH_TIMEOUT_MS = 1_000;

/**
 * The login lookup (key prefix → credential) through an in-process cache, and the invalidations every
 * gateway replica sends and hears on one Redis channel under the queue prefix. The cache is on only while
 * this replica's subscriber is subscribed: without it a revocation elsewhere could go unheard, so every
 * lookup goes to Postgres until the subscriber is back (and then starts from an empty cache).
 */
@Injectable()
export class ApiKeyCredentials implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ApiKeys');
  private readonly cache: CredentialCache<ApiKeyCredential>;
  private readonly channel: string;
  /** One Postgres lookup per prefix at a time; forgotten on any invalidation, so none outlives it. */
  private readonly lookups = new Map<string, Promise<ApiKeyCredential | undefined>>();
  private subscriber?: Redis;

  constructor(
    private readonly keys: ApiKeyRepository,
    @Inject(REDIS_CONNECTION) private readonly redis: Redis,
    @Inject(QUEUE_OPTIONS) queue: QueueModuleOptions,
    @Inject(AUTH_OPTIONS) options: AuthOptions,
    @Optional() private readonly metrics?: Metrics,
  ) {
    this.channel = `${queue.prefix}:auth:credential-invalidations`;
    this.cache = new CredentialCache({
      ttlMs: options.credentialCache?.ttlMs ?? DEFAULT_CREDENTIAL_CACHE_TTL_MS,
      maxKnown: options.credentialCache?.maxEntries ?? DEFAULT_CREDENTIAL_CACHE_ENTRIES,
      maxUnknown: UNKNOWN_PREFIX_ENTRIES,
    });
  }

  /** Whether lookups are served from the cache now (the subscriber is subscribed). */
  get caching(): boolean {
    return this.cache.isEnabled;
  }

  /** The credential of the key with this prefix, or undefined when there is none. */
  async find(prefix: string): Promise<ApiKeyCredential | undefined> {
    const cached = this.cache.get(prefix, Date.now());
    if (cached) {
      this.metrics?.apiKeyLookup('cache');
      return cached.value;
    }
    let lookup = this.lookups.get(prefix);
    if (!lookup) {
      const mark = this.cache.mark();
      lookup = this.keys.findCredential(prefix).then(
        (credential) => {
          this.cache.set(prefix, credential, mark, Date.now());
          if (this.lookups.get(prefix) === lookup) this.lookups.delete(prefix);
          return credential;
        },
        (error: unknown) => {
          if (this.lookups.get(prefix) === lookup) this.lookups.delete(prefix);
          throw error;
        },
      );
      this.lookups.set(prefix, lookup);
    }
    this.metrics?.apiKeyLookup('database');
    return lookup;
  }

  /** After a key's change has committed: every replica drops it. */
  invalidateKey(prefix: string): Promise<void> {
    return this.invalidate({ kind: 'key', prefix });
  }

  /** After a tenant's status change has committed: every replica drops the tenant's keys. */
  invalidateTenant(tenantId: TenantId): Promise<void> {
    return this.invalidate({ kind: 'tenant', tenantId });
  }

  onApplicationBootstrap(): void {
    const subscriber = subscriberConnection(this.redis, this.channel);
    this.subscriber = subscriber;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.apply(decodeInvalidation(message));
    });
    subscriber.on('ready', () => void this.subscribe(subscriber));
    for (const event of ['close', 'end', 'reconnecting']) {
      subscriber.on(event, () => this.stopCaching());
    }
    // Reported by readiness through the shared connection; here it only means no caching.
    subscriber.on('error', () => undefined);
    subscriber.connect().catch(() => undefined);
  }

  onApplicationShutdown(): void {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.lookups.clear();
    this.cache.disable();
    subscriber?.removeAllListeners();
    subscriber?.on('error', () => undefined);
    subscriber?.disconnect();
  }

  private async subscribe(subscriber: Redis): Promise<void> {
    try {
      await subscriber.subscribe(this.channel);
    } catch {
      return; // the next 'ready' tries again
    }
    // Whatever was published while unsubscribed is unknown: start from nothing.
    if (this.subscriber === subscriber && subscriber.status === 'ready') {
      this.lookups.clear();
      this.cache.enable();
    }
  }

  private stopCaching(): void {
    if (this.cache.isEnabled) {
      this.logger.warn(
        'Credential invalidations unheard (Redis subscriber down): API keys read from Postgres',
      );
    }
    this.lookups.clear();
    this.cache.disable();
  }

  private apply(invalidation: CredentialInvalidation): void {
    this.lookups.clear();
    switch (invalidation.kind) {
      case 'key':
        return this.cache.dropPrefix(invalidation.prefix);
      case 'tenant':
        return this.cache.dropTenant(invalidation.tenantId);
      case 'all':
        return this.cache.clear();
    }
  }

  private async invalidate(invalidation: CredentialInvalidation): Promise<void> {
    this.apply(invalidation);
    // A command queued while Redis is down would wait for it; the replicas that lost it do not cache.
    if (this.redis.status !== 'ready') {
      this.logger.warn(`Credential invalidation not published (Redis ${this.redis.status})`);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.redis.publish(this.channel, encodeInvalidation(invalidation)),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${PUBLISH_TIMEOUT_MS} ms`)),
            PUBLISH_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (error) {
      this.logger.warn(
        `Credential invalidation not published: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
