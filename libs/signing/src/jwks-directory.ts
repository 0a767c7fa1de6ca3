import type Redis from 'ioredis';
import { type PublicJwks } from './jwt-signer';

/** Stable code of the directory's one failure; the gateway maps it to 503. */
export type JwksDirectoryErrorCode = 'signing.jwks_not_published';

export class JwksDirectoryError extends Error {
  override readonly name = 'JwksDirectoryError';
  readonly code: JwksDirectoryErrorCode = 'signing.jwks_not_published';
}

export interface PublishedJwks extends PublicJwks {
  /** When a worker last read the keys from its signer (ISO 8601). */
  publishedAt: string;
}

/**
 * Where the worker, which holds the signer, publishes the client's public keys for the gateway, which must
 * never call KMS itself (docs/architecture.md "Processes"). One Redis key under the process's queue prefix;
 * public keys only, so nothing secret is stored.
 */
export class JwksDirectory {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}:signing:jwks`;
  }

  async publish(jwks: PublicJwks, now: Date = new Date()): Promise<void> {
    const published: PublishedJwks = { keys: jwks.keys, publishedAt: now.toISOString() };
    await this.redis.set(this.key, JSON.stringify(published));
  }

  /** The last published keys; `signing.jwks_not_published` until a worker has started. */
  async read(): Promise<PublishedJwks> {
    const value = await this.redis.get(this.key);
    if (value === null) {
      throw new JwksDirectoryError('No worker has published the signing keys yet; start a worker');
    }
    return JSON.parse(value) as PublishedJwks;
  }
}
