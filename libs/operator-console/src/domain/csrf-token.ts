import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a change carries its session's synchronizer token (OWASP CSRF Prevention Cheat Sheet,
 * "Synchronizer Token Pattern"). Compared as SHA-256 digests in constant time, so neither the length
 * nor the first differing character shows in the time taken.
 */
export function csrfTokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined || presented.length === 0 || presented.length > 200) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(presented));
}
