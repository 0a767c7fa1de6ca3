import { csrfTokenMatches } from './csrf-token';

describe('csrfTokenMatches', () => {
  const token = 'k3y-of-this-session_0123456789abcdef';

  it('accepts the session’s token', () => {
    expect(csrfTokenMatches(token, token)).toBe(true);
  });

  it.each([
    ['no token', undefined],
    ['an empty token', ''],
    ['another token', 'k3y-of-another-session_0123456789abc'],
    ['a prefix of it', token.slice(0, 10)],
    ['an overlong token', token.repeat(10)],
  ])('refuses %s', (_case, presented) => {
    expect(csrfTokenMatches(token, presented)).toBe(false);
  });
});
