import { checkResolvedAddresses, checkWebhookUrl, parseAllowList, type WebhookUrlPolicy } from './url-policy';

function allowList(...entries: string[]) {
  const parsed = parseAllowList(entries);
  if (!parsed.ok) throw new Error(parsed.entry);
  return parsed.allowList;
}

const strict: WebhookUrlPolicy = { allowHttp: false, allowList: [] };
const local: WebhookUrlPolicy = { allowHttp: true, allowList: allowList('127.0.0.1:4567') };

describe('checkWebhookUrl', () => {
  it.each([
    ['https://hooks.bank.example/samtykke', strict],
    ['https://8.8.8.8/hook', strict],
    ['https://hooks.bank.example:8443/x?y=1', strict],
    ['http://127.0.0.1:4567/hook', local],
  ])('accepts %s', (url, policy) => {
    expect(checkWebhookUrl(url, policy)).toMatchObject({ ok: true });
  });

  it.each([
    ['not a url', strict, 'is not an absolute URL'],
    ['http://hooks.bank.example/', strict, 'must be an https URL'],
    ['ftp://hooks.bank.example/', local, 'must be an http or https URL'],
    ['https://user:pw@hooks.bank.example/', strict, 'must not carry credentials'],
    ['https://hooks.bank.example/#x', strict, 'must not have a fragment'],
    ['https://127.0.0.1/', strict, 'resolves to a loopback address (127.0.0.1)'],
    ['https://127.0.0.1/', local, 'resolves to a loopback address (127.0.0.1)'],
    ['http://127.0.0.1:4568/', local, 'resolves to a loopback address (127.0.0.1)'],
    ['https://10.0.0.1/', strict, 'resolves to a private address (10.0.0.1)'],
    ['https://[::1]/', strict, 'resolves to a loopback address (::1)'],
    ['https://[::ffff:169.254.169.254]/', strict, 'resolves to a link-local address (::ffff:a9fe:a9fe)'],
    ['https://0x7f000001/', strict, 'resolves to a loopback address (127.0.0.1)'],
    [`https://a.example/${'x'.repeat(2048)}`, strict, 'is longer than 2048 characters'],
  ])('refuses %s', (url, policy, reason) => {
    expect(checkWebhookUrl(url, policy)).toEqual({ ok: false, reason });
  });
});

describe('checkResolvedAddresses', () => {
  const destination = { hostname: 'hooks.bank.example', port: 443 };

  it('refuses a name when any of its addresses is private', () => {
    expect(checkResolvedAddresses(destination, ['8.8.8.8', '10.1.1.1'], [])).toEqual({
      ok: false,
      reason: 'resolves to a private address (10.1.1.1)',
    });
  });

  it('connects to the first checked address', () => {
    expect(checkResolvedAddresses(destination, ['2001:4860::1', '8.8.8.8'], [])).toEqual({
      ok: true,
      address: '2001:4860::1',
      family: 6,
    });
  });

  it.each([
    ['hooks.bank.example', true],
    ['hooks.bank.example:443', true],
    ['hooks.bank.example:8443', false],
    ['10.0.0.0/8', true],
    ['10.1.1.1', true],
    ['10.1.1.1:80', false],
    ['other.example', false],
  ])('allow-list entry %s lets hooks.bank.example → 10.1.1.1 through: %s', (entry, ok) => {
    expect(checkResolvedAddresses(destination, ['10.1.1.1'], allowList(entry)).ok).toBe(ok);
  });

  it('refuses a name that resolves to nothing', () => {
    expect(checkResolvedAddresses(destination, [], [])).toMatchObject({ ok: false });
  });
});

describe('parseAllowList', () => {
  it.each(['bad host!', 'host:99999', '10.0.0.0/40'])('rejects %s', (entry) => {
    expect(parseAllowList([entry])).toEqual({ ok: false, entry });
  });

  it('reads hosts, addresses, blocks and ports', () => {
    const parsed = parseAllowList(['Receiver.Local', '127.0.0.1:3000', '[::1]:3000', 'fd00::/8', ' ']);
    expect(parsed.ok && parsed.allowList.length).toBe(4);
  });
});
