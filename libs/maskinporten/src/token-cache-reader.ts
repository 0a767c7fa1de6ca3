import type Redis from 'ioredis';
import { type AccessToken, accessToken } from './access-token';
import { tokenCacheKeyMaterial } from './domain/token-cache-key';
import { normalizeTokenRequest, type TokenRequest } from './domain/token-request';
import { RedisTokenCache, type TokenCacheOptions } from './token-cache';

export interface TokenCacheReaderOptions {
  issuer: string;
  clientId: string;
  providerOrg: string;
  /** The same prefix and secret as the workers' `MaskinportenTokenService`. */
  cache: TokenCacheOptions;
  now?: () => number;
}

/**
 * Read-only access to the shared token cache, for a process that must hand tokens out without ever signing or
 * calling Maskinporten (the gateway, docs/architecture.md "Processes"): a worker fetches, this reads.
 */
export class TokenCacheReader {
  private readonly cache: RedisTokenCache;
  private readonly now: () => number;

  constructor(
    private readonly options: TokenCacheReaderOptions,
    redis: Redis,
  ) {
    this.now = options.now ?? Date.now;
    this.cache = new RedisTokenCache(redis, { now: this.now, ...options.cache });
  }

  /** The live cached token for `request`, or undefined (then a worker must fetch it). */
  async cached(request: TokenRequest): Promise<AccessToken | undefined> {
    const normalized = normalizeTokenRequest(request, this.options.providerOrg);
    if (!normalized.ok) return undefined;
    const token = await this.cache.peek(
      tokenCacheKeyMaterial(this.options.clientId, this.options.issuer, normalized.request),
    );
    if (!token) return undefined;
    return accessToken({
      accessToken: token.accessToken,
      tokenType: token.tokenType,
      scope: token.scope,
      expiresAt: new Date(token.expiresAt),
      expiresIn: Math.max(0, Math.floor((token.expiresAt - this.now()) / 1000)),
      source: 'cache',
    });
  }
}
