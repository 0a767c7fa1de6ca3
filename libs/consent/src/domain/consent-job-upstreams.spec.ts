import { consentJobUpstreams } from './consent-job-upstreams';

describe('consentJobUpstreams', () => {
  it.each([
    ['create', ['maskinporten', 'altinn']],
    ['refresh', ['maskinporten', 'altinn']],
    ['feed', ['maskinporten', 'altinn']],
    ['token', ['maskinporten']],
    ['expire', []],
    ['sweep', []],
  ] as const)('%s waits for the breakers of %p', (name, upstreams) => {
    expect(consentJobUpstreams(name)).toEqual(upstreams);
  });
});
