import { auditUrl } from './audit-url';

describe('auditUrl', () => {
  it.each([
    ['https://hooks.bank.example/consent', 'https://hooks.bank.example/consent'],
    ['https://hooks.bank.example:8443/a/b?token=s3cret#frag', 'https://hooks.bank.example:8443/a/b'],
    ['https://user:pa55@hooks.bank.example/x', 'https://hooks.bank.example/x'],
    ['http://127.0.0.1:4000/', 'http://127.0.0.1:4000/'],
    ['https://[::1]:9000/p?q=1', 'https://[::1]:9000/p'],
  ])('keeps scheme, host and path of %s', (url, kept) => {
    expect(auditUrl(url)).toBe(kept);
  });

  it('answers null for what is not a URL', () => {
    expect(auditUrl('not a url?token=s3cret')).toBeNull();
  });
});
