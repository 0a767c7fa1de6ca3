import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AUTH_OPTIONS, type AuthOptions } from './auth.options';
import { AuthError } from './auth.errors';
import { adminKeyFingerprint, matchAdminKey } from './domain/admin-key';

/** Admin keys from ADMIN_API_KEY: compared as SHA-256 digests in constant time, named by fingerprint. */
@Injectable()
export class AdminAuthService {
  private readonly digests: Buffer[];
  private readonly fingerprints: string[];

  constructor(@Inject(AUTH_OPTIONS) options: AuthOptions) {
    this.digests = options.adminApiKeys.map((key) => createHash('sha256').update(key, 'utf8').digest());
    this.fingerprints = options.adminApiKeys.map(adminKeyFingerprint);
  }

  /** The admin key's fingerprint (the audit log's actor), or an `AuthError`. */
  authenticate(presented: string | undefined): string {
    if (this.digests.length === 0) {
      throw new AuthError(
        'auth.admin_disabled',
        'The admin API is disabled: ADMIN_API_KEY is not configured',
      );
    }
    if (presented === undefined) {
      throw new AuthError(
        'auth.missing_credentials',
        'An admin key is required: Authorization: Bearer <key>',
      );
    }
    const index = matchAdminKey(presented, this.digests);
    if (index === undefined) throw new AuthError('auth.invalid_credentials', 'The admin key is not valid');
    return this.fingerprints[index];
  }
}
