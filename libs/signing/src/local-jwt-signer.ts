import {
  createPrivateKey,
  createPublicKey,
  type JsonWebKey,
  type KeyObject,
  sign as cryptoSign,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type JWTPayload } from 'jose';
import { compactJws, DIGEST_ALGORITHM, type JwsAlgorithm, jwsSigningInput } from './domain/jws';
import { JwtSigner, type JwsHeaderInput, type PublicJwk, type PublicJwks } from './jwt-signer';
import { publicJwkOf } from './public-jwk';
import { SigningError } from './signing.errors';

export interface LocalJwtSignerOptions {
  /** The process's NODE_ENV: the local signer refuses to exist in production. */
  environment: 'development' | 'test' | 'production';
  /** An RSA private key: PEM (PKCS#8 or PKCS#1) or a private JWK in JSON. */
  keyFile: string;
  /** Further key files (private or public) whose public halves are published, for rotation drills. */
  publishedKeyFiles?: string[];
  /** Default RFC 7638 thumbprint. */
  kid?: string;
  /** Default RS256. */
  algorithm?: JwsAlgorithm;
}

/**
 * Development-only signer with the private key in a file. The design's rule is that the provider's key
 * never leaves KMS, so this signer throws `signing.local_signer_refused` when NODE_ENV=production.
 */
export class LocalJwtSigner extends JwtSigner {
  private readonly algorithm: JwsAlgorithm;

  private constructor(
    private readonly privateKey: KeyObject,
    private readonly jwks: PublicJwk[],
    algorithm: JwsAlgorithm,
  ) {
    super();
    this.algorithm = algorithm;
  }

  static async create(options: LocalJwtSignerOptions): Promise<LocalJwtSigner> {
    if (options.environment === 'production') {
      throw new SigningError(
        'signing.local_signer_refused',
        'The local signer is for development only; use SIGNER=kms in production',
        { keyId: options.keyFile },
      );
    }
    const algorithm = options.algorithm ?? 'RS256';
    const privateKey = readKey(options.keyFile);
    if (privateKey.type !== 'private') {
      throw new SigningError('signing.invalid_configuration', `${options.keyFile} holds no private key`, {
        keyId: options.keyFile,
      });
    }
    const files = [options.keyFile, ...(options.publishedKeyFiles ?? [])];
    const jwks = await Promise.all(
      files.map(async (file, index) => {
        const jwk = await publicJwkOf(
          index === 0 ? privateKey : readKey(file),
          algorithm,
          index === 0 ? options.kid : undefined,
        );
        if (!jwk) {
          throw new SigningError('signing.invalid_configuration', `${file} is not an RSA key`, {
            keyId: file,
          });
        }
        return jwk;
      }),
    );
    return new LocalJwtSigner(
      privateKey,
      [...new Map(jwks.map((jwk) => [jwk.kid, jwk])).values()],
      algorithm,
    );
  }

  sign(header: JwsHeaderInput, payload: JWTPayload): Promise<string> {
    const { typ, cty } = header;
    const signingInput = jwsSigningInput(
      {
        ...(typ === undefined ? {} : { typ }),
        ...(cty === undefined ? {} : { cty }),
        alg: this.algorithm,
        kid: this.jwks[0].kid,
      },
      payload,
    );
    const signature = cryptoSign(
      DIGEST_ALGORITHM[this.algorithm],
      Buffer.from(signingInput),
      this.privateKey,
    );
    return Promise.resolve(compactJws(signingInput, signature));
  }

  publicJwks(): Promise<PublicJwks> {
    return Promise.resolve({ keys: this.jwks.map((jwk) => ({ ...jwk })) });
  }

  activeKid(): Promise<string> {
    return Promise.resolve(this.jwks[0].kid);
  }
}

function readKey(file: string): KeyObject {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new SigningError('signing.invalid_configuration', `Cannot read key file ${file}`, {
      keyId: file,
      cause,
    });
  }
  try {
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) {
      const jwk = JSON.parse(trimmed) as JsonWebKey;
      return jwk.d === undefined
        ? createPublicKey({ key: jwk, format: 'jwk' })
        : createPrivateKey({ key: jwk, format: 'jwk' });
    }
    return trimmed.includes('PRIVATE KEY') ? createPrivateKey(trimmed) : createPublicKey(trimmed);
  } catch (cause) {
    throw new SigningError('signing.invalid_configuration', `${file} holds no usable key`, {
      keyId: file,
      cause,
    });
  }
}
