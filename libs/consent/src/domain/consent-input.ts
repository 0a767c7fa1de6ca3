import { z } from 'zod';
import { parseRequest, RequestValidationError } from '@gw/http';
import { organizationUrn, parsePartyUrn, type PartyUrnParse } from '@gw/identifiers';

// The tenant's create body (docs/architecture.md flow 2): Altinn's fields (docs/upstream-contract.md §2
// "Create body") checked before anything is stored, so a request Altinn would refuse for its shape fails at
// once with a pointer per field instead of as a `failed` consent later. Checks that need Altinn's registers
// (unknown person, resource, metadata keys) stay Altinn's.

/** docs/upstream-contract.md §2: the one resource attribute type a right names. */
export const CONSENT_RESOURCE_TYPE = 'urn:altinn:resource';

/**
 * Upper bounds of the create body. Altinn sets none (its request message is an hstore, its redirect URL
 * text: Altinn.AccessManagement.Persistence consent tables), so these are ours: generous for what a bank
 * sends, small enough that no request stores or forwards megabytes.
 */
export const CONSENT_INPUT_LIMITS = {
  /** Longer than any party URN (urn:altinn:organization:identifier-no: + 9 digits is 47). */
  partyUrn: 64,
  dateTime: 64,
  rights: 20,
  actions: 10,
  action: 64,
  /** Altinn resource identifiers are short slugs such as ttd_inntektsopplysninger. */
  resourceValue: 255,
  metadataKeys: 50,
  metadataKey: 100,
  metadataValue: 255,
  /** Per language: a few paragraphs the person reads on Altinn's consent page. */
  requestMessage: 2000,
  /** What browsers and proxies reliably carry. */
  redirectUrl: 2048,
} as const;
const LIMIT = CONSENT_INPUT_LIMITS;

export interface ConsentResourceInput {
  type: typeof CONSENT_RESOURCE_TYPE;
  value: string;
}

export interface ConsentRightInput {
  action: string[];
  /** Exactly one resource per right. */
  resource: [ConsentResourceInput];
  metadata?: Record<string, string>;
}

/** A valid create body, normalised: URN prefixes lower-case, `to` the tenant's, the id lower-case. */
export interface ConsentInput {
  /** The client's own id, when it chose one (any UUID version); else the gateway assigns a UUIDv7. */
  id?: string;
  from: string;
  to: string;
  validTo: Date;
  consentRights: ConsentRightInput[];
  requestMessage?: { nb?: string; nn?: string; en?: string };
  redirectUrl: string;
  requiredDelegator?: string;
  portalViewMode?: 'Hide' | 'Show';
}

export interface ConsentInputError {
  /** RFC 6901 JSON pointer into the body, e.g. `/consentRights/0/action`; `` for the body itself. */
  pointer: string;
  detail: string;
}

export type ConsentInputResult =
  { ok: true; value: ConsentInput } | { ok: false; errors: ConsentInputError[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Schemes a browser would run rather than leave: never somewhere to send a person back to. */
const REFUSED_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:']);

const PARTY_REFUSALS: Record<Exclude<PartyUrnParse, { ok: true }>['reason'], string> = {
  not_a_party_urn:
    'must be urn:altinn:person:identifier-no:<11 digits> or urn:altinn:organization:identifier-no:<9 digits>',
  invalid_person_identifier: 'is not a valid fødselsnummer or D-number (11 digits with valid check digits)',
  invalid_org_number: 'is not a valid organisation number (9 digits with a valid MOD11 check digit)',
};

const partyUrn = z
  .string()
  .max(LIMIT.partyUrn)
  .transform((value, context) => {
    const party = parsePartyUrn(value);
    if (party.ok) return party.urn;
    context.addIssue({ code: 'custom', message: PARTY_REFUSALS[party.reason] });
    return z.NEVER;
  });

/** docs/upstream-contract.md §2: `redirectUrl` absolute, http/https or a custom scheme (AM.VLD-00027). */
export function isAbsoluteRedirectUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (REFUSED_SCHEMES.has(url.protocol)) return false;
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.hostname !== '';
  return true;
}

const dateTimeWithOffset = z.iso
  .datetime({
    offset: true,
    // A wrong type falls through to `typeMessage`.
    error: (issue) =>
      issue.code === 'invalid_type'
        ? undefined
        : 'must be an ISO 8601 date-time with an offset, e.g. 2026-07-07T13:45:00+02:00',
  })
  .max(LIMIT.dateTime);

const rightSchema = z.strictObject({
  action: z
    .array(z.string().min(1, 'must not be empty').max(LIMIT.action))
    .min(1, 'must name at least one action')
    .max(LIMIT.actions),
  resource: z
    .array(
      z.strictObject({
        type: z.literal(CONSENT_RESOURCE_TYPE, {
          error: (issue) => (issue.input === undefined ? 'is required' : `must be ${CONSENT_RESOURCE_TYPE}`),
        }),
        value: z.string().min(1, 'must name the resource').max(LIMIT.resourceValue),
      }),
    )
    .length(1, 'must hold exactly one resource'),
  // docs/upstream-contract.md §2: Altinn refuses an empty metadata value (AM-00007).
  metadata: z
    .record(
      z.string().max(LIMIT.metadataKey),
      z.string().min(1, 'must not be empty').max(LIMIT.metadataValue),
    )
    .refine(
      (metadata) => Object.keys(metadata).length <= LIMIT.metadataKeys,
      `must hold at most ${LIMIT.metadataKeys} keys`,
    )
    .meta({ maxProperties: LIMIT.metadataKeys })
    .nullish(),
});

const messageText = z.string().max(LIMIT.requestMessage).optional();

/** The create body as the tenant sends it: validator and OpenAPI source. */
export const consentRequestBodySchema = z.strictObject({
  id: z
    .string()
    .max(36)
    .regex(UUID, 'must be a UUID')
    .transform((id) => id.toLowerCase())
    .nullish(),
  from: partyUrn,
  // Checked against the tenant below; any string gets that far.
  to: z.string().max(LIMIT.partyUrn).nullish(),
  validTo: dateTimeWithOffset,
  consentRights: z.array(rightSchema).min(1, 'must hold at least one right').max(LIMIT.rights),
  requestMessage: z.strictObject({ nb: messageText, nn: messageText, en: messageText }).nullish(),
  redirectUrl: z
    .string()
    .max(LIMIT.redirectUrl)
    .refine(isAbsoluteRedirectUrl, 'must be an absolute URL (https://…, or an app’s own scheme)'),
  requiredDelegator: partyUrn.nullish(),
  portalViewMode: z
    .string()
    .max(16)
    .transform((mode, context) => {
      const lower = mode.toLowerCase();
      if (lower === 'hide') return 'Hide' as const;
      if (lower === 'show') return 'Show' as const;
      context.addIssue({ code: 'custom', message: 'must be Hide or Show' });
      return z.NEVER;
    })
    .nullish(),
});

/** Unknown keys are named in the answer: cut a long one so that no problem echoes it whole. */
const MAX_ECHOED_KEY = 64;
/** A body of many bad items answers with the first ones, not with a problem as large as the body. */
const MAX_ERRORS = 50;

function pointerOf(path: readonly PropertyKey[]): string {
  return path
    .map((part) => {
      const segment = String(part);
      const clipped = segment.length > MAX_ECHOED_KEY ? `${segment.slice(0, MAX_ECHOED_KEY)}…` : segment;
      return `/${clipped.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    })
    .join('');
}

const EXPECTED: Readonly<Record<string, string>> = {
  array: 'a list',
  object: 'an object',
  record: 'an object',
  string: 'a string',
};

/** Zod's message for a wrong type, in the words of the problem details; undefined keeps the schema's own. */
function typeMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.input === undefined) return 'is required';
  return `must be ${EXPECTED[issue.expected] ?? issue.expected}`;
}

function errorsOf(issues: readonly z.core.$ZodIssue[]): ConsentInputError[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const inMessage = issue.path.length === 1 && issue.path[0] === 'requestMessage';
      return issue.keys.map((key) => ({
        pointer: pointerOf([...issue.path, key]),
        detail: inMessage ? 'is not a language of the message: use nb, nn or en' : 'is not a known field',
      }));
    }
    if (issue.code === 'invalid_key') {
      return [
        {
          pointer: pointerOf(issue.path),
          detail: `is not an allowed key (${issue.issues[0]?.message ?? issue.message})`,
        },
      ];
    }
    return [{ pointer: pointerOf(issue.path), detail: issue.message }];
  });
}

/**
 * What every request part gets from `parseRequest` before its schema (no NUL, no lone surrogate in a
 * string or key, bounded nesting), applied to this body too so that it is refused the same way.
 */
function unsafeInputErrors(body: unknown): ConsentInputError[] {
  try {
    parseRequest(z.unknown(), body);
    return [];
  } catch (error) {
    if (error instanceof RequestValidationError) return error.errors;
    throw error;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a tenant's create body. `to` may be left out (it becomes the tenant) but any other organisation is
 * refused: the consent is always the tenant's own (docs/architecture.md "Tenant isolation"). `validTo`
 * must lie after `now` (AM.VLD-00022).
 */
export function validateConsentInput(body: unknown, tenantOrg: string, now: Date): ConsentInputResult {
  if (!isRecord(body)) return { ok: false, errors: [{ pointer: '', detail: 'must be a JSON object' }] };
  const unsafe = unsafeInputErrors(body);
  if (unsafe.length > 0) return { ok: false, errors: unsafe };
  const parsed = consentRequestBodySchema.safeParse(body, { error: typeMessage });
  const errors = parsed.success ? [] : errorsOf(parsed.error.issues);
  const failed = (pointer: string) => errors.some((error) => error.pointer === pointer);

  const tenantUrn = organizationUrn(tenantOrg);
  if (!failed('/to') && typeof body.to === 'string') {
    const to = parsePartyUrn(body.to);
    if (!to.ok || to.urn !== tenantUrn) {
      errors.push({
        pointer: '/to',
        detail: `must be the tenant's own organisation, ${tenantUrn}, or left out`,
      });
    }
  }
  if (!failed('/validTo') && typeof body.validTo === 'string' && new Date(body.validTo) <= now) {
    errors.push({ pointer: '/validTo', detail: 'must be in the future' });
  }
  if (!parsed.success || errors.length > 0) return { ok: false, errors: errors.slice(0, MAX_ERRORS) };

  const input = parsed.data;
  const value: ConsentInput = {
    from: input.from,
    to: tenantUrn,
    validTo: new Date(input.validTo),
    consentRights: input.consentRights.map((right) => ({
      action: right.action,
      resource: [{ type: right.resource[0].type, value: right.resource[0].value }],
      ...(right.metadata ? { metadata: right.metadata } : {}),
    })),
    redirectUrl: input.redirectUrl,
  };
  if (input.id) value.id = input.id;
  if (input.requestMessage) value.requestMessage = input.requestMessage;
  if (input.requiredDelegator) value.requiredDelegator = input.requiredDelegator;
  if (input.portalViewMode) value.portalViewMode = input.portalViewMode;
  return { ok: true, value };
}
