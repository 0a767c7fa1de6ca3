import { inspect } from 'node:util';

/** A Maskinporten access token as handed to callers. */
export interface AccessToken {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly scope: string;
  /** When Maskinporten says it expires. */
  readonly expiresAt: Date;
  /** Whole seconds left at the moment it was handed out. */
  readonly expiresIn: number;
  /** Where it came from: this process's fetch, another process's fetch, or the cache. */
  readonly source: 'cache' | 'fetched' | 'waited';
}

const REDACTED = '[redacted]';

/**
 * Builds an AccessToken that redacts itself when logged or serialized as a whole (`JSON.stringify`,
 * pino, `util.inspect`): a token is read field by field where it is really needed, never dumped.
 */
export function accessToken(fields: AccessToken): AccessToken {
  const redacted = () => ({ ...fields, accessToken: REDACTED });
  return Object.freeze(
    Object.defineProperties(
      { ...fields },
      {
        toJSON: { value: redacted, enumerable: false },
        [inspect.custom]: { value: () => redacted(), enumerable: false },
      },
    ),
  );
}
