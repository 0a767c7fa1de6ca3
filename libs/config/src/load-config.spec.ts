import { ConfigError, loadConfig, simulatorConfigSchema, workerConfigSchema } from '@gw/config';

describe('loadConfig', () => {
  it('applies defaults for an empty environment', () => {
    const config = loadConfig(simulatorConfigSchema, {});
    expect(config.SIMULATOR_PORT).toBe(3100);
    expect(config.SIMULATOR_FEED_LAG_SECONDS).toBe(300);
    expect(config.SIMULATOR_SEED).toBe(true);
  });

  it('treats an empty string as unset', () => {
    expect(loadConfig(simulatorConfigSchema, { SIMULATOR_PORT: '' }).SIMULATOR_PORT).toBe(3100);
  });

  it.each([
    ['SIMULATOR_PORT', 'not-a-port'],
    ['SIMULATOR_PORT', '70000'],
    ['SIMULATOR_FEED_LAG_SECONDS', '-1'],
    ['SIMULATOR_SEED', 'maybe'],
    ['SIMULATOR_PUBLIC_URL', 'not a url'],
  ])('refuses %s=%s and names the variable', (variable, value) => {
    expect(() => loadConfig(simulatorConfigSchema, { [variable]: value })).toThrow(
      expect.objectContaining({ message: expect.stringContaining(variable) }),
    );
  });

  it('reports every bad variable at once', () => {
    try {
      loadConfig(workerConfigSchema, { PROVIDER_ORG_NUMBER: '12345', SIGNER: 'hsm' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((issue) => issue.variable).sort()).toEqual([
        'PROVIDER_ORG_NUMBER',
        'SIGNER',
      ]);
    }
  });
});
