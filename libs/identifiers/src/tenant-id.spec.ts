import { tenantIdSchema } from './tenant-id';

describe('tenantIdSchema', () => {
  it('brands a UUID', () => {
    expect(tenantIdSchema.parse('0192f3a4-5b6c-7d8e-9f01-a12345678901')).toBe(
      '0192f3a4-5b6c-7d8e-9f01-a12345678901',
    );
  });

  it.each([['t-1'], [''], [42], [undefined]])('refuses %p', (value) => {
    expect(tenantIdSchema.safeParse(value).success).toBe(false);
  });
});
