import { QueryFailedError } from 'typeorm';
import { isUniqueViolation } from './postgres-errors';

describe('isUniqueViolation', () => {
  const failed = (code: string) =>
    new QueryFailedError('INSERT …', [], Object.assign(new Error('duplicate key value'), { code }));

  it('recognises a query that broke a unique constraint', () => {
    expect(isUniqueViolation(failed('23505'))).toBe(true);
  });

  it.each([
    ['another constraint (foreign key)', failed('23503')],
    ['a plain error', new Error('23505')],
    ['no error at all', undefined],
    ['null', null],
  ])('is false for %s', (_name, error) => {
    expect(isUniqueViolation(error)).toBe(false);
  });
});
