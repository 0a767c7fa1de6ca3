import { lastUsedWriteDue } from './last-used';

describe('lastUsedWriteDue', () => {
  it.each([
    ['never written by this process', undefined, 1_000, true],
    ['written just now', 1_000, 1_000, false],
    ['written 59.999 s ago', 1_000, 60_999, false],
    ['written a minute ago', 1_000, 61_000, true],
    ['written an hour ago', 1_000, 3_601_000, true],
    ['written "in the future" (the clock went back)', 61_000, 1_000, true],
  ])('%s: %s', (_case, lastWrittenAt, now, due) => {
    expect(lastUsedWriteDue(lastWrittenAt, now)).toBe(due);
  });
});
