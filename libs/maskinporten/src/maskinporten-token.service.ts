import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { type UpstreamCallRecorder } from '@gw/circuit-breaker';
import { type MetricsRecorder } from '@gw/observability';
import { type JwtSigner, KmsJwtSigner, SigningError } from '@gw/signing';
import { type AccessToken, accessToken } from './access-token';
import { tokenCacheTtlSeconds } from './domain/cache-ttl';
import { buildGrantClaims, type GrantContext } from './domain/grant-claims';
import { type BackoffOptions } from './domain/retry-delay';
import { tokenCacheKeyMaterial } from './domain/token-cache-key';
import { TokenMemory } from './domain/token-memory';
import {
  normalizeTokenRequest,
  type NormalizedTokenRequest,
  type TokenRequest,
} from './domain/token-request';
import { MaskinportenError } from './maskinporten.errors';
import { type CachedToken, RedisTokenCache, type TokenCacheOptions } from './token-cache';
import { MaskinportenTokenClient } from './token-client';

/** How long a token stays in process memory at most: bounds how long another replica's invalidation goes unseen. */
const MEMORY_TTL_MS = 30_000;
const MEMORY_ENTRIES = 1_000;

export interface MaskinportenOptions {
  /**
   * docs/upstream-contract.md §1: e.g. `https://test.maskinporten.no/`, trailing slash included; the grant's
   * `aud`.
   */
  issuer: string;
  /** The provider's Maskinporten client id. */
  clientId: string;
  /** The org owning the client: never sent as `consumer_org`. */
  providerOrg: string;
  /** Default `<issuer>token`. */
  tokenEndpoint?: string;
  /** `exp − iat` of each grant; default 60, at most 120. */
  grantLifetimeSeconds?: number;
  /** Per token request; default 10 000 ms. */
  timeoutMs?: number;
  /** Token requests per token, first included; default 3. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  cache: TokenCacheOptions & {
    /** Seconds before `expires_in` runs out that a cached token stops being handed out; default 15. */
    safetyMarginSeconds?: number;
  };
  /** Replaces global fetch (tests). */
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * Access tokens for the provider's client: grant builder, KMS signer, token client and shared cache in
 * one call. The caller passes the tenant's `consumerOrg` from the tenant registry, never from a request
 * (docs/architecture.md "Tenant isolation").
 */
export class MaskinportenTokenService {
  private readonly context: GrantContext;
  private readonly client: MaskinportenTokenClient;
  private readonly cache: RedisTokenCache;
  private readonly safetyMarginSeconds: number;
  private readonly now: () => number;
  /** Saves a Redis read and a decryption per call for the tokens this process uses most. */
  private readonly memory = new TokenMemory<CachedToken>(MEMORY_ENTRIES);

  constructor(
    private readonly options: MaskinportenOptions,
    private readonly signer: JwtSigner,
    redis: Redis,
    /** Token requests, cache results and KMS signatures, when the process exports metrics. */
    private readonly metrics?: MetricsRecorder,
    /** Maskinporten's circuit breaker, told each token request's status (in a worker). */
    breakers?: UpstreamCallRecorder,
  ) {
    if (!/^https?:\/\/.+\/$/.test(options.issuer)) {
      throw new MaskinportenError(
        'maskinporten.invalid_configuration',
        `The Maskinporten issuer must be a URL ending in "/", not ${options.issuer} (docs/upstream-contract.md §1)`,
      );
    }
    this.now = options.now ?? Date.now;
    this.context = {
      issuer: options.issuer,
      clientId: options.clientId,
      providerOrg: options.providerOrg,
      lifetimeSeconds: options.grantLifetimeSeconds,
    };
    this.client = new MaskinportenTokenClient({
      tokenEndpoint: options.tokenEndpoint ?? `${options.issuer}token`,
      timeoutMs: options.timeoutMs,
      maxAttempts: options.maxAttempts,
      backoff: options.backoff,
      fetch: options.fetch,
      metrics,
      breakers,
    });
    this.cache = new RedisTokenCache(redis, { now: this.now, ...options.cache });
    this.safetyMarginSeconds = options.cache.safetyMarginSeconds ?? 15;
  }

  /**
   * A token for `request`: from this process's memory while it lasts, else from the shared cache, else
   * signed and fetched once for all replicas.
   */
  async accessToken(request: TokenRequest): Promise<AccessToken> {
    const normalized = this.normalize(request);
    const material = this.cacheKeyMaterial(normalized);
    const remembered = this.memory.get(material, this.now());
    const { token, source } = remembered
      ? { token: remembered, source: 'cache' as const }
      : await this.cache.getOrFetch(material, () => this.fetch(normalized));
    if (!remembered) this.remember(material, token);
    this.metrics?.tokenCache(source, normalized.scopes.join(' '));
    return accessToken({
      accessToken: token.accessToken,
      tokenType: token.tokenType,
      scope: token.scope,
      expiresAt: new Date(token.expiresAt),
      expiresIn: Math.max(0, Math.floor((token.expiresAt - this.now()) / 1000)),
      source,
    });
  }

  /** Forgets the cached token for `request`: call it when an upstream answered 401 to that token. */
  async invalidate(request: TokenRequest): Promise<void> {
    const material = this.cacheKeyMaterial(this.normalize(request));
    this.memory.delete(material);
    await this.cache.invalidate(material);
  }

  private remember(material: string, token: CachedToken): void {
    const until = Math.min(token.expiresAt - this.safetyMarginSeconds * 1000, this.now() + MEMORY_TTL_MS);
    this.memory.set(material, token, until);
  }

  private normalize(request: TokenRequest): NormalizedTokenRequest {
    const result = normalizeTokenRequest(request, this.options.providerOrg);
    if (!result.ok) {
      throw new MaskinportenError(
        'maskinporten.grant_refused',
        `Refused token request (${result.reason}): ${result.detail}`,
      );
    }
    return result.request;
  }

  private cacheKeyMaterial(request: NormalizedTokenRequest): string {
    return tokenCacheKeyMaterial(this.options.clientId, this.options.issuer, request);
  }

  private async fetch(request: NormalizedTokenRequest): Promise<{ token: CachedToken; ttlMs: number }> {
    const response = await this.client.requestToken(() => this.signGrant(request));
    const receivedAt = this.now();
    const ttlSeconds = tokenCacheTtlSeconds(response.expiresIn, this.safetyMarginSeconds);
    return {
      token: {
        accessToken: response.accessToken,
        tokenType: response.tokenType,
        scope: response.scope ?? request.scopes.join(' '),
        expiresAt: receivedAt + response.expiresIn * 1000,
      },
      ttlMs: ttlSeconds * 1000,
    };
  }

  private signGrant(request: NormalizedTokenRequest): Promise<string> {
    const grant = buildGrantClaims(request, this.context, new Date(this.now()), randomUUID());
    if (!grant.ok) {
      throw new MaskinportenError(
        'maskinporten.grant_refused',
        `Refused grant (${grant.reason}): ${grant.detail}`,
      );
    }
    return this.sign({ ...grant.claims });
  }

  private async sign(claims: Record<string, unknown>): Promise<string> {
    if (!this.metrics || !(this.signer instanceof KmsJwtSigner))
      return this.signer.sign({ typ: 'JWT' }, claims);
    const started = performance.now();
    try {
      const jwt = await this.signer.sign({ typ: 'JWT' }, claims);
      this.metrics.upstreamCall({
        upstream: 'kms',
        operation: 'sign',
        outcome: 'ok',
        seconds: (performance.now() - started) / 1000,
      });
      return jwt;
    } catch (error) {
      this.metrics.upstreamCall({
        upstream: 'kms',
        operation: 'sign',
        outcome: 'error',
        code: error instanceof SigningError ? (error.upstreamError ?? error.code) : 'error',
        seconds: (performance.now() - started) / 1000,
      });
      throw error;
    }
  }
}
