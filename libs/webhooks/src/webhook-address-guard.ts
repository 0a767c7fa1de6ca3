import { lookup } from 'node:dns/promises';
import { parseAddress } from './domain/address-policy';
import {
  type AddressCheck,
  type AllowList,
  checkResolvedAddresses,
  checkWebhookUrl,
  destinationOf,
  type UrlCheck,
} from './domain/url-policy';

/**
 * The SSRF guard with DNS: a URL passes when its form passes and every address its host resolves to
 * now is public or allow-listed. The delivery connects to the address returned here, never resolving
 * again, so a name that changes its answer between check and connect (DNS rebinding) gains nothing.
 */
export class WebhookAddressGuard {
  constructor(
    private readonly policy: { allowHttp: boolean; allowList: AllowList },
    private readonly resolve: (hostname: string) => Promise<string[]> = resolveAll,
  ) {}

  /** Form and scheme only (no DNS). */
  checkForm(text: string): UrlCheck {
    return checkWebhookUrl(text, this.policy);
  }

  /** Form, scheme and the addresses the host resolves to now; the address to connect to. */
  async check(
    text: string,
  ): Promise<(AddressCheck & { ok: false }) | { ok: true; url: URL; address: string; family: 4 | 6 }> {
    const form = this.checkForm(text);
    if (!form.ok) return form;
    const destination = destinationOf(form.url);
    let addresses: string[];
    if (parseAddress(destination.hostname)) {
      addresses = [destination.hostname];
    } else {
      try {
        addresses = await this.resolve(destination.hostname);
      } catch (error) {
        return {
          ok: false,
          reason: `${destination.hostname} does not resolve (${(error as { code?: string }).code ?? 'error'})`,
        };
      }
    }
    const check = checkResolvedAddresses(destination, addresses, this.policy.allowList);
    return check.ok ? { ...check, url: form.url } : check;
  }
}

async function resolveAll(hostname: string): Promise<string[]> {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => answer.address);
}
