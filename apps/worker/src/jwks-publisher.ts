import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { QUEUE_OPTIONS, type QueueModuleOptions, REDIS_CONNECTION, ScheduleKeeper } from '@gw/queue';
import { JwksDirectory, JwtSigner } from '@gw/signing';

/**
 * Re-published hourly, so a key added for rotation shows up without restarting a worker, and at once
 * when Redis lost its data.
 */
const REPUBLISH_MS = 3_600_000;

/**
 * Publishes the signer's public keys for the gateway's `GET /admin/v1/signing/jwks` (the gateway never
 * calls KMS). A failure is logged and retried on the next round; it never stops the worker.
 */
@Injectable()
export class JwksPublisher implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JwksPublisher.name);
  private readonly directory: JwksDirectory;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly signer: JwtSigner,
    @Inject(REDIS_CONNECTION) redis: Redis,
    @Inject(QUEUE_OPTIONS) queue: QueueModuleOptions,
    private readonly keeper: ScheduleKeeper,
  ) {
    this.directory = new JwksDirectory(redis, queue.prefix);
  }

  onModuleInit(): void {
    this.keeper.register({
      name: 'the signing JWKS',
      restore: async (reason) => {
        if (reason === 'lost') await this.publish();
      },
    });
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
