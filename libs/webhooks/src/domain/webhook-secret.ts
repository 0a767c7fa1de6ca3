import { Webhook } from 'standardwebhooks';

/** Standard Webhooks: secrets are `whsec_` + base64 of the key bytes. */
export const SECRET_PREFIX = 'whsec_';

/** After a rotation the previous secret keeps signing this long. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/** A new endpoint secret from 32 random bytes (the caller supplies them; no randomness here). */
export function formatSecret(key: Uint8Array): string {
  return `${SECRET_PREFIX}${Buffer.from(key).toString('base64')}`;
}

/** The secrets that sign at `now`: the current one, and the previous one until its expiry. */
export function signingSecrets(
  secrets: { current: string; previous: string | null; previousExpiresAt: Date | null },
  now: Date,
): string[] {
  const { current, previous, previousExpiresAt } = secrets;
  return previous !== null && previousExpiresAt !== null && previousExpiresAt > now
    ? [current, previous]
    : [current];
}

/**
 * The `webhook-signature` header: one `v1,<base64>` per secret, space-separated (Standard Webhooks),
 * so a receiver holding either the old or the new secret verifies during a rotation.
 */
export function signatureHeader(
  secrets: readonly string[],
  messageId: string,
  timestamp: Date,
  body: string,
): string {
  return secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, body)).join(' ');
}
