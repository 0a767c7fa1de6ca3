import { randomUUID } from 'node:crypto';
import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { KmsError } from './kms.errors';
import { KMS_CONTENT_TYPE } from './kms.protocol';

/**
 * The one place where the simulated KMS's errors become responses: docs/upstream-contract.md §3's
 * `{"__type", "message"}` body, which `@aws-sdk/client-kms` turns into its typed exceptions.
 */
@Catch()
export class KmsExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('SimulatedKms');

  catch(exception: unknown, host: ArgumentsHost): void {
    const error = exception instanceof KmsError ? exception : this.internal(exception);
    void host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(error.status)
      .header('content-type', KMS_CONTENT_TYPE)
      .header('x-amzn-requestid', randomUUID())
      .send(Buffer.from(JSON.stringify({ __type: error.type, message: error.message })));
  }

  private internal(exception: unknown): KmsError {
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : exception);
    return new KmsError('KMSInternalException', 'The simulated KMS failed internally.');
  }
}
