/** docs/upstream-contract.md §1: the party claims of a Maskinporten access token. */
export interface Iso6523Party {
  authority: 'iso6523-actorid-upis';
  /** `0192:<9-digit org number>` */
  ID: string;
}

export function iso6523(orgNumber: string): Iso6523Party {
  return { authority: 'iso6523-actorid-upis', ID: `0192:${orgNumber}` };
}

/** The org number in an ISO 6523 party, or undefined when it is not a Norwegian (0192) org. */
export function orgNumberOf(party: unknown): string | undefined {
  if (typeof party !== 'object' || party === null) return undefined;
  const { authority, ID } = party as Partial<Iso6523Party>;
  if (authority !== 'iso6523-actorid-upis' || typeof ID !== 'string') return undefined;
  const match = /^0192:(\d{9})$/.exec(ID);
  return match?.[1];
}

/** The consent entry of `authorization_details` in an issued token. */
export interface ConsentAuthorizationDetail {
  type: 'urn:altinn:consent';
  id: string;
  from: string;
  to: Iso6523Party;
  consented: string;
  validTo: string;
  consentRights: {
    action: string[];
    resource: { type: string; value: string }[];
    metadata: Record<string, string> | null;
  }[];
}

/** Claims of the RS256 access tokens the simulated Maskinporten issues and the simulated Altinn verifies. */
export interface MaskinportenAccessTokenClaims {
  iss: string;
  client_id: string;
  client_amr: 'private_key_jwt';
  scope: string;
  token_type: 'Bearer';
  iat: number;
  exp: number;
  jti: string;
  consumer: Iso6523Party;
  supplier?: Iso6523Party;
  delegation_source?: string;
  aud?: string | string[];
  authorization_details?: ConsentAuthorizationDetail[];
}
