/** `api_keys.last_used_at` is kept to the minute: a write per request would cost more than it says. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Whether this process should write a key's last use now: not written by it yet, written a resolution
 * ago or longer, or the clock went back.
 */
export function lastUsedWriteDue(
  lastWrittenAt: number | undefined,
  now: number,
  resolutionMs: number = LAST_USED_RESOLUTION_MS,
): boolean {
  return lastWrittenAt === undefined || now < lastWrittenAt || now - lastWrittenAt >= resolutionMs;
}
