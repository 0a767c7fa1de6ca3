import { oldestAgeSeconds } from './queue-backlog';

describe('oldestAgeSeconds', () => {
  const now = new Date('2026-01-01T12:00:00Z');

  it('is null when no job waits', () => {
    expect(oldestAgeSeconds([], now)).toBeNull();
  });

  it('counts whole seconds from the oldest job', () => {
    expect(oldestAgeSeconds([now.getTime() - 1_500, now.getTime() - 90_900], now)).toBe(90);
  });

  it('is never negative when a job was stamped by a clock ahead of this one', () => {
    expect(oldestAgeSeconds([now.getTime() + 5_000], now)).toBe(0);
  });
});
