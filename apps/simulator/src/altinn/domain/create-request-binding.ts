import { type PartyUrn, parsePartyUrn } from '../../core/identifiers';

// docs/upstream-contract.md#create-body: what ASP.NET does with a create body before Altinn's action runs.
// System.Text.Json (web defaults: names case-insensitive, unknown members ignored) deserializes it into
// ConsentRequestDto (src/libs/Altinn.Authorization.Api.Contracts/…/Consent/ConsentRequestDto.cs in
// Altinn/altinn-authorization-tmp), stopping at the first value it cannot convert or at an object that lacks
// a `required` member; then [ApiController]'s model validation refuses a null or empty non-nullable member
// (`From`, `RedirectUrl`, `ConsentRights[0].Resource`, …). Either way the answer is ASP.NET's 400 with an
// `errors` map, not an Altinn problem. `handledBy`, `templateId` and any other member are ignored,
// `requestMessage` is a dictionary (any language), and a date-time without offset is read as UTC (the
// service's local time). Stricter here, documented in docs/upstream-contract.md: party numbers must carry
// valid check digits, and a member may not be given in two spellings.

export type PortalViewMode = 'Hide' | 'Show';

export interface ConsentResourceInput {
  type: string;
  value: string;
}

export interface ConsentRightInput {
  action: string[];
  /** Empty when sent empty: Altinn's action then fails on `Resource[0]` (a 500). */
  resource: ConsentResourceInput[];
  metadata: Record<string, string> | null;
}

export interface ConsentRequestInput {
  /** Lower-case UUID. */
  id: string;
  from: PartyUrn;
  to: PartyUrn;
  requiredDelegator: PartyUrn | null;
  validTo: Date;
  consentRights: ConsentRightInput[];
  requestMessage: Record<string, string> | null;
  redirectUrl: string;
  portalViewMode: PortalViewMode;
}

/** ASP.NET's model state: member → messages, as its 400 `errors` map shows them. */
export type ModelErrors = Record<string, string[]>;

export type ConsentRequestBinding =
  { ok: true; request: ConsentRequestInput } | { ok: false; errors: ModelErrors };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|([+-])(\d{2}):(\d{2}))?$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * An ISO 8601 date-time as System.Text.Json reads a DateTimeOffset: a date, optionally a time with a
 * fraction, optionally an offset. Without offset it is local time, which for Altinn is UTC.
 * `requireOffset` refuses one without (the event feed's stricter reading). Undefined when it does not parse.
 */
export function parseDateTime(value: string, requireOffset = false): Date | undefined {
  const match = DATE_TIME.exec(value);
  if (!match) return undefined;
  if (match[8] === undefined && requireOffset) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0));
  const millis = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const sign = match[9] === '-' ? -1 : 1;
  const offsetHours = Number(match[10] ?? 0);
  const offsetMinutes = Number(match[11] ?? 0);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (offsetHours > 14 || offsetMinutes > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day || day < 1) return undefined;
  return new Date(local - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
}

/** RFC 3339 date-time that names its offset (`Z` or `±hh:mm`); undefined otherwise. */
export function parseDateTimeWithOffset(value: string): Date | undefined {
  return parseDateTime(value, true);
}

const DTO = 'Altinn.Authorization.Api.Contracts.Consent';

/** Thrown at the first value System.Text.Json could not convert: deserialization stops there. */
class JsonFailure extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

function notConvertible(path: string, type: string): JsonFailure {
  return new JsonFailure(path, `The JSON value could not be converted to ${type}. Path: ${path}.`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An object's members by case-insensitive name, as System.Text.Json's web defaults read them; unknown
 * members are ignored. Two spellings of one member are refused (stricter: System.Text.Json keeps the last).
 */
function membersOf<Name extends string>(
  value: unknown,
  path: string,
  type: string,
  names: readonly Name[],
  required: readonly Name[],
): Map<Name, unknown> {
  if (!isObject(value)) throw notConvertible(path, type);
  const members = new Map<Name, unknown>();
  for (const [key, member] of Object.entries(value)) {
    const name = names.find((candidate) => candidate.toLowerCase() === key.toLowerCase());
    if (name === undefined) continue;
    if (members.has(name)) throw new JsonFailure(`${path}.${key}`, `'${key}' is given twice.`);
    members.set(name, member);
  }
  const missing = required.filter((name) => !members.has(name));
  if (missing.length > 0) {
    throw new JsonFailure(
      path,
      `JSON deserialization for type '${type}' was missing required properties including: ${missing.map((name) => `'${name}'`).join('; ')}.`,
    );
  }
  return members;
}

function stringOrNull(value: unknown, path: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw notConvertible(path, 'System.String');
  return value;
}

function party(value: unknown, path: string): PartyUrn | null {
  if (value === null) return null;
  const parsed = typeof value === 'string' ? parsePartyUrn(value) : undefined;
  if (parsed === undefined) throw notConvertible(path, `${DTO}.ConsentPartyUrn`);
  return parsed;
}

function stringMap(value: unknown, path: string): Record<string, string> | null {
  if (value === null) return null;
  if (!isObject(value))
    throw notConvertible(path, 'System.Collections.Generic.Dictionary`2[System.String,System.String]');
  const result: Record<string, string> = {};
  for (const [key, member] of Object.entries(value)) {
    // Altinn keeps metadata in a case-insensitive dictionary: two spellings of one key cannot both exist.
    if (Object.keys(result).some((seen) => seen.toLowerCase() === key.toLowerCase())) {
      throw new JsonFailure(`${path}.${key}`, `'${key}' is given twice.`);
    }
    if (typeof member !== 'string') throw notConvertible(`${path}.${key}`, 'System.String');
    result[key] = member;
  }
  return result;
}

function list<T>(
  value: unknown,
  path: string,
  type: string,
  item: (value: unknown, path: string) => T,
): T[] | null {
  if (value === null) return null;
  if (!Array.isArray(value)) throw notConvertible(path, type);
  return value.map((entry, index) => item(entry, `${path}[${index}]`));
}

interface LooseRight {
  action: (string | null)[] | null;
  resource: ({ type: string | null; value: string | null } | null)[] | null;
  metadata: Record<string, string> | null;
}

function right(value: unknown, path: string): LooseRight | null {
  if (value === null) return null;
  const members = membersOf(
    value,
    path,
    `${DTO}.ConsentRightDto`,
    ['action', 'resource', 'metadata'] as const,
    ['action', 'resource'] as const,
  );
  return {
    action: list(
      members.get('action'),
      `${path}.action`,
      'System.Collections.Generic.List`1[System.String]',
      stringOrNull,
    ),
    resource: list(
      members.get('resource'),
      `${path}.resource`,
      `System.Collections.Generic.List\`1[${DTO}.ConsentResourceAttributeDto]`,
      (attribute, attributePath) => {
        if (attribute === null) return null;
        const fields = membersOf(
          attribute,
          attributePath,
          `${DTO}.ConsentResourceAttributeDto`,
          ['type', 'value'] as const,
          ['type', 'value'] as const,
        );
        return {
          type: stringOrNull(fields.get('type'), `${attributePath}.type`),
          value: stringOrNull(fields.get('value'), `${attributePath}.value`),
        };
      },
    ),
    metadata: members.has('metadata') ? stringMap(members.get('metadata'), `${path}.metadata`) : null,
  };
}

const TOP_LEVEL = [
  'id',
  'from',
  'to',
  'requiredDelegator',
  'validTo',
  'consentRights',
  'requestMessage',
  'redirectUrl',
  'portalViewMode',
] as const;

const REQUIRED = ['id', 'from', 'to', 'validTo', 'consentRights', 'redirectUrl'] as const;

/** ConsentPortalViewMode under JsonStringEnumConverter: its names in any case, or its numbers. */
function portalViewMode(value: unknown, path: string): PortalViewMode {
  if (value === null || value === undefined) return 'Hide';
  if (value === 0 || (typeof value === 'string' && value.toLowerCase() === 'hide')) return 'Hide';
  if (value === 1 || (typeof value === 'string' && value.toLowerCase() === 'show')) return 'Show';
  throw notConvertible(path, `System.Nullable\`1[${DTO}.ConsentPortalViewMode]`);
}

/** [ApiController]'s implicit [Required] on a non-nullable member: null, or an empty string. */
function requiredMissing(errors: ModelErrors, value: unknown, name: string, label: string): boolean {
  if (value !== null && value !== '') return false;
  errors[name] = [`The ${label} field is required.`];
  return true;
}

/**
 * Binds a create body as ASP.NET would, or gives the model state of its 400 (the first conversion failure
 * with `consentRequest` beside it, or every null or empty required member).
 */
export function bindConsentRequest(body: unknown): ConsentRequestBinding {
  let members: Map<(typeof TOP_LEVEL)[number], unknown>;
  let bound: {
    id: string;
    from: PartyUrn | null;
    to: PartyUrn | null;
    requiredDelegator: PartyUrn | null;
    validTo: Date;
    consentRights: (LooseRight | null)[] | null;
    requestMessage: Record<string, string> | null;
    redirectUrl: string | null;
    portalViewMode: PortalViewMode;
  };
  try {
    members = membersOf(body, '$', `${DTO}.ConsentRequestDto`, TOP_LEVEL, REQUIRED);
    const id = members.get('id');
    if (typeof id !== 'string' || !isUuid(id)) throw notConvertible('$.id', 'System.Guid');
    const validTo = members.get('validTo');
    const validToDate = typeof validTo === 'string' ? parseDateTime(validTo) : undefined;
    if (validToDate === undefined) throw notConvertible('$.validTo', 'System.DateTimeOffset');
    bound = {
      id: id.toLowerCase(),
      from: party(members.get('from'), '$.from'),
      to: party(members.get('to'), '$.to'),
      requiredDelegator: members.has('requiredDelegator')
        ? party(members.get('requiredDelegator'), '$.requiredDelegator')
        : null,
      validTo: validToDate,
      consentRights: list(
        members.get('consentRights'),
        '$.consentRights',
        `System.Collections.Generic.List\`1[${DTO}.ConsentRightDto]`,
        right,
      ),
      requestMessage: members.has('requestMessage')
        ? stringMap(members.get('requestMessage'), '$.requestMessage')
        : null,
      redirectUrl: stringOrNull(members.get('redirectUrl'), '$.redirectUrl'),
      portalViewMode: portalViewMode(members.get('portalViewMode'), '$.portalViewMode'),
    };
  } catch (failure) {
    if (!(failure instanceof JsonFailure)) throw failure;
    return {
      ok: false,
      errors: {
        consentRequest: ['The consentRequest field is required.'],
        [failure.path]: [failure.message],
      },
    };
  }

  const errors: ModelErrors = {};
  requiredMissing(errors, bound.from, 'From', 'From');
  requiredMissing(errors, bound.to, 'To', 'To');
  requiredMissing(errors, bound.consentRights, 'ConsentRights', 'ConsentRights');
  requiredMissing(errors, bound.redirectUrl, 'RedirectUrl', 'RedirectUrl');
  (bound.consentRights ?? []).forEach((entry, index) => {
    const name = `ConsentRights[${index}]`;
    if (entry === null) return;
    requiredMissing(errors, entry.action, `${name}.Action`, 'Action');
    requiredMissing(errors, entry.resource, `${name}.Resource`, 'Resource');
    (entry.resource ?? []).forEach((attribute, attributeIndex) => {
      if (attribute === null) return;
      requiredMissing(errors, attribute.type, `${name}.Resource[${attributeIndex}].Type`, 'Type');
      requiredMissing(errors, attribute.value, `${name}.Resource[${attributeIndex}].Value`, 'Value');
    });
  });
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const { from, to, redirectUrl, consentRights } = bound;
  if (from === null || to === null || redirectUrl === null || consentRights === null)
    return { ok: false, errors };
  return {
    ok: true,
    request: {
      ...bound,
      from,
      to,
      redirectUrl,
      // A null right, action or attribute gets past the binder. A null right becomes one without resources,
      // which fails as Altinn's action does on it (a 500); null actions and attributes are left out.
      consentRights: consentRights.map((entry) =>
        entry === null
          ? { action: [], resource: [], metadata: null }
          : {
              action: (entry.action ?? []).filter((action): action is string => action !== null),
              resource: (entry.resource ?? []).flatMap((attribute) =>
                attribute?.type != null && attribute.value != null
                  ? [{ type: attribute.type, value: attribute.value }]
                  : [],
              ),
              metadata: entry.metadata,
            },
      ),
    },
  };
}
