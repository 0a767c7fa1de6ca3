import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { KmsKeyStore } from '../core/kms-key-store';
import { checkContentType, checkSigV4Authorization } from './kms.protocol';

/**
 * Refuses a KMS request that is not SigV4-signed JSON 1.1 before any operation runs
 * (docs/upstream-contract.md §3).
 */
@Injectable()
export class KmsRequestGuard implements CanActivate {
  constructor(private readonly keys: KmsKeyStore) {}

  canActivate(context: ExecutionContext): boolean {
    const { headers } = context.switchToHttp().getRequest<FastifyRequest>();
    checkSigV4Authorization(headers, this.keys.region);
    checkContentType(headers['content-type']);
    return true;
  }
}
