import { type CachedAnswer, CredentialCache, type CredentialCacheLimits } from './credential-cache';

interface Credential {
  tenantId: string;
  id: string;
}

const LIMITS: CredentialCacheLimits = { ttlMs: 30_000, maxKnown: 3, maxUnknown: 2 };
const A1: Credential = { tenantId: 'tenant-a', id: 'a1' };
const A2: Credential = { tenantId: 'tenant-a', id: 'a2' };
const B1: Credential = { tenantId: 'tenant-b', id: 'b1' };

type Step =
  | ['set', string, Credential | undefined, number]
  | ['setAfterDrop', string, Credential, number]
  | ['dropPrefix', string]
  | ['dropTenant', string]
  | ['clear']
  | ['enable']
  | ['disable']
  | ['get', string, number];

/** Runs the steps on an enabled cache; returns what each `get` answered. */
function run(
  steps: Step[],
  limits: CredentialCacheLimits = LIMITS,
): (CachedAnswer<Credential> | undefined)[] {
  const cache = new CredentialCache<Credential>(limits);
  cache.enable();
  const answers: (CachedAnswer<Credential> | undefined)[] = [];
  for (const step of steps) {
    switch (step[0]) {
      case 'set':
        cache.set(step[1], step[2], cache.mark(), step[3]);
        break;
      case 'setAfterDrop': {
        // A lookup that began before an invalidation and answered after it.
        const mark = cache.mark();
        cache.dropPrefix('some other prefix');
        cache.set(step[1], step[2], mark, step[3]);
        break;
      }
      case 'dropPrefix':
        cache.dropPrefix(step[1]);
        break;
      case 'dropTenant':
        cache.dropTenant(step[1]);
        break;
      case 'clear':
        cache.clear();
        break;
      case 'enable':
        cache.enable();
        break;
      case 'disable':
        cache.disable();
        break;
      case 'get':
        answers.push(cache.get(step[1], step[2]));
        break;
    }
  }
  return answers;
}

describe('CredentialCache', () => {
  it.each<[string, Step[], (CachedAnswer<Credential> | undefined)[]]>([
    ['a miss before anything is stored', [['get', 'p1', 0]], [undefined]],
    [
      'a stored key until its TTL runs out',
      [
        ['set', 'p1', A1, 0],
        ['get', 'p1', 29_999],
        ['get', 'p1', 30_000],
      ],
      [{ value: A1 }, undefined],
    ],
    [
      'an unknown prefix as known to have no key',
      [
        ['set', 'p1', undefined, 0],
        ['get', 'p1', 1],
      ],
      [{ value: undefined }],
    ],
    [
      'an unknown prefix until its TTL runs out',
      [
        ['set', 'p1', undefined, 0],
        ['get', 'p1', 30_000],
      ],
      [undefined],
    ],
    [
      'a key that replaced an unknown answer',
      [
        ['set', 'p1', undefined, 0],
        ['set', 'p1', A1, 0],
        ['get', 'p1', 1],
      ],
      [{ value: A1 }],
    ],
    [
      'nothing for a dropped prefix',
      [
        ['set', 'p1', A1, 0],
        ['set', 'p2', B1, 0],
        ['dropPrefix', 'p1'],
        ['get', 'p1', 1],
        ['get', 'p2', 1],
      ],
      [undefined, { value: B1 }],
    ],
    [
      'nothing for an unknown prefix dropped',
      [
        ['set', 'p1', undefined, 0],
        ['dropPrefix', 'p1'],
        ['get', 'p1', 1],
      ],
      [undefined],
    ],
    [
      'nothing of a dropped tenant, the others kept',
      [
        ['set', 'p1', A1, 0],
        ['set', 'p2', A2, 0],
        ['set', 'p3', B1, 0],
        ['dropTenant', 'tenant-a'],
        ['get', 'p1', 1],
        ['get', 'p2', 1],
        ['get', 'p3', 1],
      ],
      [undefined, undefined, { value: B1 }],
    ],
    [
      'nothing after a clear',
      [['set', 'p1', A1, 0], ['set', 'p2', undefined, 0], ['clear'], ['get', 'p1', 1], ['get', 'p2', 1]],
      [undefined, undefined],
    ],
    [
      'no answer read before an invalidation',
      [
        ['setAfterDrop', 'p1', A1, 0],
        ['get', 'p1', 1],
      ],
      [undefined],
    ],
    [
      'nothing while disabled, and nothing of before after enabling again',
      [
        ['set', 'p1', A1, 0],
        ['disable'],
        ['get', 'p1', 1],
        ['set', 'p2', B1, 0],
        ['enable'],
        ['get', 'p1', 1],
        ['get', 'p2', 1],
      ],
      [undefined, undefined, undefined],
    ],
    [
      'the least recently used key out first beyond the limit',
      [
        ['set', 'p1', A1, 0],
        ['set', 'p2', A2, 0],
        ['set', 'p3', B1, 0],
        ['get', 'p1', 1],
        ['set', 'p4', A1, 0],
        ['get', 'p2', 1],
        ['get', 'p1', 1],
        ['get', 'p3', 1],
        ['get', 'p4', 1],
      ],
      [{ value: A1 }, undefined, { value: A1 }, { value: B1 }, { value: A1 }],
    ],
    [
      'unknown prefixes in a pool of their own: guessing pushes out no live key',
      [
        ['set', 'p1', A1, 0],
        ['set', 'u1', undefined, 0],
        ['set', 'u2', undefined, 0],
        ['set', 'u3', undefined, 0],
        ['set', 'u4', undefined, 0],
        ['get', 'p1', 1],
        ['get', 'u2', 1],
        ['get', 'u3', 1],
        ['get', 'u4', 1],
      ],
      [{ value: A1 }, undefined, { value: undefined }, { value: undefined }],
    ],
  ])('answers %s', (_case, steps, expected) => {
    expect(run(steps)).toEqual(expected);
  });

  it('stores nothing with a TTL of 0 (cache off)', () => {
    expect(
      run(
        [
          ['set', 'p1', A1, 0],
          ['get', 'p1', 0],
        ],
        { ...LIMITS, ttlMs: 0 },
      ),
    ).toEqual([undefined]);
  });

  it('is off until enabled', () => {
    const cache = new CredentialCache<Credential>(LIMITS);
    cache.set('p1', A1, cache.mark(), 0);
    expect([cache.isEnabled, cache.get('p1', 1), cache.size]).toEqual([
      false,
      undefined,
      { known: 0, unknown: 0 },
    ]);
  });

  it('never holds more than its limits, however many prefixes are tried', () => {
    const cache = new CredentialCache<Credential>(LIMITS);
    cache.enable();
    for (let i = 0; i < 1_000; i += 1) {
      cache.set(`unknown-${i}`, undefined, cache.mark(), 0);
      cache.set(`known-${i}`, A1, cache.mark(), 0);
    }
    expect(cache.size).toEqual({ known: 3, unknown: 2 });
  });
});
