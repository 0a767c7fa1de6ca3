import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { QUEUE_OPTIONS, type QueueModuleOptions, REDIS_CONNECTION } from '@gw/queue';
import { JwksDirectory, JwtSigner } from '@gw/signing';

/** Re-published hourly, so a key added for rotation shows up without restarting a worker. */
const REPUBLISH_MS = 3_600_000;

/**
 * Publishes the signer's public keys for the gateway's `GET /admin/v1/signing/jwks` (the gateway never
 * calls KMS). A failure is logged and retried on the next round; it never stops the worker.
 */
@Injectable()
export class JwksPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JwksPublisher.name);
  private readonly directory: JwksDirectory;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly signer: JwtSigner,
    @Inject(REDIS_CONNECTION) redis: Redis,
    @Inject(QUEUE_OPTIONS) queue: QueueModuleOptions,
  ) {
    this.directory = new JwksDirectory(redis, queue.prefix);
  }

  onApplicationBootstrap(): void {
    void this.publish();
    this.timer = setInterval(() => void this.publish(), REPUBLISH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async publish(): Promise<void> {
    try {
      await this.directory.publish(await this.signer.publicJwks());
    } catch (error) {
      this.logger.warn(
        `Could not publish the signing JWKS: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
