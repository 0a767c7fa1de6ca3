import { runInNewContext } from 'node:vm';
import { isDependencyUnavailable } from './dependency-unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDependencyUnavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    [
      'Postgres shutting down (57P01)',
      withCode('terminating connection due to administrator command', '57P01'),
    ],
    ['Postgres starting up (57P03)', withCode('the database system is starting up', '57P03')],
    ['a connection failure (08006)', withCode('connection failure', '08006')],
    ['too many connections (53300)', withCode('sorry, too many clients already', '53300')],
    ['a dropped pg connection', new Error('Connection terminated unexpectedly')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    [
      "TypeORM's wrapper around a driver error",
      Object.assign(new Error('Query failed'), { driverError: withCode('admin shutdown', '57P01') }),
    ],
    [
      'ioredis refusing a command while Redis is away (no offline queue)',
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    ],
    [
      'ioredis giving up on a command after its reconnections',
      new Error(
        'Reached the max retries per request limit (which is 1). Refer to "maxRetriesPerRequest" option for details.',
      ),
    ],
    ['a cause chain', new Error('outer', { cause: withCode('connect ECONNREFUSED', 'ECONNREFUSED') })],
    [
      'a refused connection raised in another realm (not instanceof this realm’s Error)',
      runInNewContext(
        "Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })",
      ),
    ],
  ])('recognises %s', (_name, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
    ['a syntax error (42601)', withCode('syntax error at or near', '42601')],
    ['a unique violation (23505)', withCode('duplicate key value', '23505')],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['not an error', 'ECONNREFUSED'],
    ['nothing at all', undefined],
  ])('leaves %s alone', (_name, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
  });
});
