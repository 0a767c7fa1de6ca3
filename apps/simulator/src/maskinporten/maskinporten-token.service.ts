import { createPublicKey, type JsonWebKey, type KeyObject, randomUUID, X509Certificate } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { calculateJwkThumbprint, compactVerify, exportJWK, type JWTPayload, SignJWT } from 'jose';
import { ConsentStore } from '../core/consent-store';
import { IssuerKey } from '../core/issuer-key';
import { KmsKeyStore } from '../core/kms-key-store';
import { SimClock } from '../core/sim-clock';
import { SimEnvironment } from '../core/sim-environment';
import { type SimClient, SimRegistry } from '../core/sim-registry';
import { newTraceId } from '../core/trace-id';
import { buildAccessTokenClaims } from './domain/access-token-claims';
import { authorizationServerMetadata } from './domain/authorization-server-metadata';
import { checkConsentGrant } from './domain/consent-grant';
import { checkGrantClaims } from './domain/grant-claims';
import { type GrantHeader, checkGrantHeader } from './domain/grant-header';
import { decodeGrant } from './domain/grant-jwt';
import { checkCertificatePeriod, type RegisteredKey, selectRegisteredKey } from './domain/registered-key';
import { authorizeScopes } from './domain/scope-authorization';
import { SpentGrants } from './domain/spent-grants';
import {
  invalidAssertion,
  refuse,
  renderTokenError,
  type TokenErrorBody,
  type Verdict,
} from './domain/token-error';
import { readTokenForm } from './domain/token-form';

/** docs/upstream-contract.md §1 "Token response". */
export interface TokenResponseBody {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

export type TokenReply = { status: 200; body: TokenResponseBody } | { status: 400; body: TokenErrorBody };

interface VerificationKey extends RegisteredKey {
  publicKey: KeyObject;
}

async function thumbprintOf(publicKey: KeyObject): Promise<string> {
  return calculateJwkThumbprint(await exportJWK(publicKey), 'sha256');
}

/**
 * The simulated Maskinporten (docs/upstream-contract.md §1): metadata, its JWKS, and the JWT-bearer token
 * endpoint.
 */
@Injectable()
export class MaskinportenTokenService {
  private readonly spentGrants = new SpentGrants();

  constructor(
    private readonly issuerKey: IssuerKey,
    private readonly environment: SimEnvironment,
    private readonly clock: SimClock,
    private readonly registry: SimRegistry,
    private readonly consents: ConsentStore,
    private readonly kmsKeys: KmsKeyStore,
  ) {}

  metadata(): ReturnType<typeof authorizationServerMetadata> {
    return authorizationServerMetadata(this.environment.issuer);
  }

  jwks(): { keys: [IssuerKey['publicJwk']] } {
    return { keys: [this.issuerKey.publicJwk] };
  }

  async token(contentType: string | undefined, body: unknown): Promise<TokenReply> {
    const outcome = await this.issue(contentType, body);
    if (outcome.ok) return { status: 200, body: outcome.value };
    return { status: 400, body: renderTokenError(outcome.refusal, this.environment.issuer, newTraceId()) };
  }

  private async issue(contentType: string | undefined, body: unknown): Promise<Verdict<TokenResponseBody>> {
    const form = readTokenForm(contentType, body);
    if (!form.ok) return form;
    const { assertion } = form.value;
    const decoded = decodeGrant(assertion);
    if (!decoded.ok) return decoded;
    const header = checkGrantHeader(decoded.value.header);
    if (!header.ok) return header;

    // The client (`iss`) decides which keys may have signed, so it is read before the signature is checked.
    const { iss } = decoded.value.claims;
    if (typeof iss !== 'string' || iss === '') return invalidAssertion('MP-011', 'Missing iss');
    const client = this.registry.client(iss);
    if (!client) {
      return refuse(
        'invalid_client',
        'MP-100',
        `Invalid assertion. Client authentication failed. Unknown client ${iss}`,
      );
    }
    const key = await this.verificationKey(client, header.value);
    if (!key.ok) return key;
    try {
      await compactVerify(assertion, key.value, { algorithms: [header.value.alg] });
    } catch {
      return invalidAssertion('MP-124', 'Client authentication failed. Invalid signature');
    }

    const now = this.clock.now();
    const nowSeconds = this.clock.nowSeconds();
    const grant = checkGrantClaims(decoded.value.claims, {
      issuer: this.environment.issuer,
      nowSeconds,
      clientOrg: client.orgNumber,
    });
    if (!grant.ok) return grant;
    const request = grant.value;
    // docs/upstream-contract.md §1: a reused jti is refused (MP-012). A jti is spent once its grant is
    // authenticated and valid, even when scopes or consent refuse it afterwards: the stricter reading.
    if (request.jti !== undefined && !this.spentGrants.spend(request.jti, request.exp, nowSeconds)) {
      return refuse('invalid_grant', 'MP-012', 'Grant is used before');
    }

    const scopes = authorizeScopes(request.scopes, {
      clientScopes: client.scopes,
      clientOrg: client.orgNumber,
      consumerOrg: request.consumerOrg,
      isDelegated: (scope) =>
        request.consumerOrg !== undefined &&
        this.registry.isDelegated(request.consumerOrg, client.orgNumber, scope),
    });
    if (!scopes.ok) return scopes;

    let consent;
    if (request.consent !== undefined) {
      const checked = checkConsentGrant(
        this.consents.get(request.consent.id),
        request.consent,
        request.consumerOrg ?? client.orgNumber,
        now,
      );
      if (!checked.ok) return checked;
      consent = checked.value;
    }

    const claims = buildAccessTokenClaims({
      issuer: this.environment.issuer,
      clientId: client.clientId,
      clientOrg: client.orgNumber,
      scopes: scopes.value,
      consumerOrg: request.consumerOrg,
      resource: request.resource,
      consent,
      iat: nowSeconds,
      jti: randomUUID(),
    });
    const payload: JWTPayload = { ...claims };
    const accessToken = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: this.issuerKey.kid })
      .sign(this.issuerKey.privateKey);
    return {
      ok: true,
      value: {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: claims.exp - claims.iat,
        scope: claims.scope,
      },
    };
  }

  /** The public key that must have signed the grant: the registered key its `kid` or `x5c` names. */
  private async verificationKey(client: SimClient, header: GrantHeader): Promise<Verdict<KeyObject>> {
    const registered = await this.registeredKeys(client);
    const nowSeconds = this.clock.nowSeconds();
    if (header.key.kind === 'kid') {
      const selected = selectRegisteredKey(registered, header.key, header.alg, nowSeconds);
      return selected.ok ? { ok: true, value: selected.value.publicKey } : selected;
    }
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(Buffer.from(header.key.chain[0], 'base64'));
    } catch {
      return invalidAssertion(
        'MP-120',
        'Client authentication failed. The JWT is signed with an invalid certificate',
      );
    }
    const period = checkCertificatePeriod(
      new Date(certificate.validFrom),
      new Date(certificate.validTo),
      this.clock.now(),
    );
    if (!period.ok) return period;
    const thumbprint = await thumbprintOf(certificate.publicKey);
    const selected = selectRegisteredKey(
      registered,
      { kind: 'certificate', thumbprint },
      header.alg,
      nowSeconds,
    );
    return selected.ok ? { ok: true, value: certificate.publicKey } : selected;
  }

  /**
   * The client's registered public keys. A KMS-backed client's one key is registered under its RFC 7638
   * thumbprint as `kid`: what the gateway's KmsJwtSigner puts in the header by default. Accepting any `kid`
   * would be the looser reading; a signer configured with its own kid registers a `jwks` client instead.
   */
  private async registeredKeys(client: SimClient): Promise<VerificationKey[]> {
    const keys: VerificationKey[] = [];
    if (client.kmsKeyId !== undefined) {
      const kmsKey = this.kmsKeys.resolve(client.kmsKeyId);
      if (kmsKey) {
        const publicKey = this.kmsKeys.publicKey(kmsKey);
        const thumbprint = await thumbprintOf(publicKey);
        keys.push({ kid: thumbprint, thumbprint, publicKey });
      }
    }
    for (const jwk of client.jwks ?? []) {
      let publicKey: KeyObject;
      try {
        publicKey = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
      } catch {
        continue; // A member the control API let through that is no usable key cannot verify anything.
      }
      const { exp } = jwk as { exp?: unknown };
      keys.push({
        kid: jwk.kid,
        thumbprint: await thumbprintOf(publicKey),
        alg: jwk.alg,
        expiresAt: typeof exp === 'number' ? exp : undefined,
        publicKey,
      });
    }
    return keys;
  }
}
