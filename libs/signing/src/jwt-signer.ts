import { type JWTPayload } from 'jose';
import { type JwsAlgorithm } from './domain/jws';

/**
 * Header parameters a caller may set. The signer owns `alg` and `kid`; `x5c`/`jku`/`jwk` are not ours to
 * send (docs/upstream-contract.md §1: exactly one of `kid` or `x5c`, and we use `kid`).
 */
export interface JwsHeaderInput {
  typ?: string;
  cty?: string;
}

/** A public RSA signing key as registered at Maskinporten. */
export interface PublicJwk {
  kty: 'RSA';
  kid: string;
  alg: JwsAlgorithm;
  use: 'sig';
  n: string;
  e: string;
}

export interface PublicJwks {
  keys: PublicJwk[];
}

/**
 * Signs JWTs with the provider's Maskinporten key. An abstract class so it is its own Nest injection
 * token: inject `JwtSigner` and get whichever signer `SigningModule` was registered with.
 */
export abstract class JwtSigner {
  /** Signs `payload` with the active key and returns the compact JWS; `alg` and `kid` are set by the signer. */
  abstract sign(header: JwsHeaderInput, payload: JWTPayload): Promise<string>;

  /**
   * Every configured key's public half, active key first: the operator registers a new key at
   * Maskinporten from this before making it the active one.
   */
  abstract publicJwks(): Promise<PublicJwks>;

  /** The `kid` the next signature will carry. */
  abstract activeKid(): Promise<string>;
}
