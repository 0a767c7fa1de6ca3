import { randomUUID } from 'node:crypto';
import { buildGrantClaims } from '@gw/maskinporten';
import { KmsJwtSigner } from '@gw/signing';
import { CLIENT_ID, KMS_CREDENTIALS, KMS_KEY_ALIAS, type ProcessStack, PROVIDER_ORG } from './stack';

/** A signer on the stack's simulated KMS, with the seeded provider key. */
export function kmsSigner(stack: ProcessStack): KmsJwtSigner {
  return new KmsJwtSigner({
    region: 'eu-north-1',
    endpoint: stack.simulatorUrl,
    credentials: KMS_CREDENTIALS,
    activeKeyId: KMS_KEY_ALIAS,
  });
}

/**
 * What a bank's own code does for a Maskinporten access token: build a grant, sign it in KMS (one `Sign`),
 * `POST /token` at the simulator. No cache, no retries.
 */
export async function fetchAccessToken(
  stack: ProcessStack,
  signer: KmsJwtSigner,
  consumerOrg: string,
  scopes: string[],
): Promise<string> {
  const grant = buildGrantClaims(
    { scopes, consumerOrg },
    { issuer: `${stack.simulatorUrl}/`, clientId: CLIENT_ID, providerOrg: PROVIDER_ORG },
    new Date(),
    randomUUID(),
  );
  if (!grant.ok) throw new Error(`grant: ${grant.detail}`);
  const assertion = await signer.sign({}, { ...grant.claims });
  const response = await fetch(`${stack.simulatorUrl}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
  });
  const token = (await response.json()) as { access_token?: string; error_description?: string };
  if (!response.ok || !token.access_token) {
    throw new Error(`/token: ${response.status} ${token.error_description}`);
  }
  return token.access_token;
}
