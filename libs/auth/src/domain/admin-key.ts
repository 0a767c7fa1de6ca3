import { createHash } from 'node:crypto';
import { digestsEqual } from './api-key';

/** An admin key's name in the audit log: `admin:` and 12 hex digits of its SHA-256, never the key. */
export function adminKeyFingerprint(key: string): string {
  return `admin:${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 12)}`;
}

/**
 * Which configured admin key (by index) `presented` is, comparing SHA-256 digests in constant time
 * against every configured key so the answer's timing does not say how many there are or which matched.
 */
export function matchAdminKey(presented: string, configuredDigests: readonly Buffer[]): number | undefined {
  const digest = createHash('sha256').update(presented, 'utf8').digest();
  let match: number | undefined;
  configuredDigests.forEach((configured, index) => {
    if (digestsEqual(digest, configured) && match === undefined) match = index;
  });
  return match;
}
