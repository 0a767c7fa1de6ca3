import { Injectable, Logger } from '@nestjs/common';
import { type TenantId } from '@gw/tenants';
import { ApiKeyRepository } from './api-key.repository';
import { lastUsedWriteDue } from './domain/last-used';

/** Beyond this many keys remembered, the ones not written for a resolution are forgotten. */
const MAX_REMEMBERED = 10_000;

/**
 * Writes a key's `last_used_at` at most once a minute per key and process, in the background: a request
 * never waits for it, and a failed write only costs the field its freshness.
 */
@Injectable()
export class LastUsedRecorder {
  private readonly logger = new Logger('ApiKeys');
  private readonly writtenAt = new Map<string, number>();
  private readonly writing = new Set<Promise<void>>();

  constructor(private readonly keys: ApiKeyRepository) {}

  record(tenantId: TenantId, keyId: string, now: number = Date.now()): void {
    if (!lastUsedWriteDue(this.writtenAt.get(keyId), now)) return;
    this.writtenAt.delete(keyId);
    this.writtenAt.set(keyId, now);
    if (this.writtenAt.size > MAX_REMEMBERED) this.forgetOlderThanResolution(now);
    const write: Promise<void> = this.keys
      .touch(tenantId, keyId)
      .catch((error: unknown) => {
        this.logger.warn(
          `last_used_at of API key ${keyId} not written: ${error instanceof Error ? error.message : String(error)}`,
        );
      })
      .finally(() => this.writing.delete(write));
    this.writing.add(write);
  }

  /** Waits for the writes already started, so a listing right after a request shows its use. */
  async settled(): Promise<void> {
    await Promise.all([...this.writing]);
  }

  private forgetOlderThanResolution(now: number): void {
    for (const [keyId, writtenAt] of this.writtenAt) {
      if (!lastUsedWriteDue(writtenAt, now)) break; // oldest first: the rest are newer
      this.writtenAt.delete(keyId);
    }
  }
}
