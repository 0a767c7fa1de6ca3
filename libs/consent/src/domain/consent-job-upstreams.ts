import { type UpstreamName } from '@gw/circuit-breaker';

/**
 * The upstreams a consent job calls, whose circuit breakers must let it run. The expiry at `validTo` calls
 * none: it runs whatever the breakers say.
 */
export function consentJobUpstreams(
  name: 'create' | 'sweep' | 'refresh' | 'feed' | 'expire' | 'token',
): readonly UpstreamName[] {
  switch (name) {
    case 'create':
    case 'refresh':
    case 'feed':
      return ['maskinporten', 'altinn'];
    case 'token':
      return ['maskinporten'];
    case 'sweep':
    case 'expire':
      return [];
  }
}
