import { type PartyUrn, parsePartyUrn } from '../../core/identifiers';
import { type ValidationError, validationError, VALIDATION_ERRORS } from './problems';

// upstream-contract §2 "Create body": what ASP.NET's model binding of Altinn's ConsentRequestDto accepts
// before any consent rule runs. Property names are case-insensitive (`metaData` binds as `metadata`).
// Where the binder would be lenient the simulator is stricter (the contract's rule for unconfirmed points):
// unknown properties (`handledBy`, `templateId`, …) are refused, not ignored; a `validTo` without offset,
// a number for `portalViewMode`, an empty action and a language other than nb/nn/en are refused.

export type PortalViewMode = 'Hide' | 'Show';
export const MESSAGE_LANGUAGES = ['nb', 'nn', 'en'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

export interface ConsentResourceInput {
  type: string;
  value: string;
}

export interface ConsentRightInput {
  /** null when sent as null: the rules answer that (STD.VLD-00000), as Altinn's service does. */
  action: string[] | null;
  /** null when sent as null: the rules answer AM-00005. */
  resource: ConsentResourceInput[] | null;
  metadata: Record<string, string> | null;
}

export interface ConsentRequestInput {
  /** Lower-case UUID. */
  id: string;
  from: PartyUrn;
  to: PartyUrn;
  requiredDelegator: PartyUrn | null;
  validTo: Date;
  /** null when sent as null: the rules answer AM.VLD-00023. */
  consentRights: ConsentRightInput[] | null;
  requestMessage: Partial<Record<MessageLanguage, string>> | null;
  redirectUrl: string;
  portalViewMode: PortalViewMode;
}

export type ConsentRequestBinding =
  { ok: true; request: ConsentRequestInput } | { ok: false; errors: ValidationError[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** RFC 3339 date-time that names its offset (`Z` or `±hh:mm`); undefined otherwise. */
export function parseDateTimeWithOffset(value: string): Date | undefined {
  const match = DATE_TIME_WITH_OFFSET.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0));
  const millis = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const sign = match[8] === '-' ? -1 : 1;
  const offsetHours = Number(match[9] ?? 0);
  const offsetMinutes = Number(match[10] ?? 0);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (offsetHours > 14 || offsetMinutes > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day || day < 1) return undefined;
  return new Date(local - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
}

function pointer(parent: string, segment: string | number): string {
  return `${parent}/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an object's members by case-insensitive name; refuses unknown and case-duplicate members. */
class MemberReader<Name extends string> {
  private readonly members = new Map<Name, unknown>();

  constructor(
    value: Record<string, unknown>,
    private readonly path: string,
    names: readonly Name[],
    private readonly errors: ValidationError[],
  ) {
    for (const [key, member] of Object.entries(value)) {
      const name = names.find((candidate) => candidate.toLowerCase() === key.toLowerCase());
      if (name === undefined) {
        errors.push(
          validationError(VALIDATION_ERRORS.jsonError, pointer(path, key), `'${key}' is not an input here.`),
        );
      } else if (this.members.has(name)) {
        errors.push(
          validationError(VALIDATION_ERRORS.jsonError, pointer(path, name), `'${name}' is given twice.`),
        );
      } else {
        this.members.set(name, member);
      }
    }
  }

  has(name: Name): boolean {
    return this.members.has(name);
  }

  get(name: Name): unknown {
    return this.members.get(name);
  }

  /** The member's value; records STD.VLD-00000 when it is absent. */
  required(name: Name): { present: true; value: unknown } | { present: false } {
    if (!this.members.has(name)) {
      this.errors.push(validationError(VALIDATION_ERRORS.required, pointer(this.path, name)));
      return { present: false };
    }
    return { present: true, value: this.members.get(name) };
  }
}

class Binder {
  readonly errors: ValidationError[] = [];

  invalid(path: string, detail: string): undefined {
    this.errors.push(validationError(VALIDATION_ERRORS.jsonError, path, detail));
    return undefined;
  }

  party(value: unknown, path: string): PartyUrn | undefined {
    if (typeof value !== 'string') return this.invalid(path, 'Expected a party URN string.');
    return (
      parsePartyUrn(value) ??
      this.invalid(
        path,
        'Expected urn:altinn:person:identifier-no:<11 digits> or urn:altinn:organization:identifier-no:<9 digits> with valid check digits.',
      )
    );
  }

  stringMap(value: unknown, path: string): Record<string, string> | undefined {
    if (!isObject(value)) return this.invalid(path, 'Expected an object of strings.');
    const result: Record<string, string> = {};
    const seen = new Set<string>();
    for (const [key, member] of Object.entries(value)) {
      // Altinn keeps metadata in a case-insensitive dictionary: two spellings of one key cannot both exist.
      if (seen.has(key.toLowerCase())) return this.invalid(pointer(path, key), `'${key}' is given twice.`);
      seen.add(key.toLowerCase());
      if (typeof member !== 'string') return this.invalid(pointer(path, key), 'Expected a string.');
      result[key] = member;
    }
    return result;
  }

  right(value: unknown, path: string): ConsentRightInput | undefined {
    if (!isObject(value)) return this.invalid(path, 'Expected a consent right object.');
    const members = new MemberReader(value, path, ['action', 'resource', 'metadata'] as const, this.errors);
    const action = members.required('action');
    const resource = members.required('resource');
    const right: ConsentRightInput = { action: null, resource: null, metadata: null };
    if (action.present && action.value !== null)
      right.action = this.actions(action.value, pointer(path, 'action'));
    if (resource.present && resource.value !== null)
      right.resource = this.resources(resource.value, pointer(path, 'resource'));
    const metadata = members.get('metadata');
    if (metadata !== undefined && metadata !== null) {
      right.metadata = this.stringMap(metadata, pointer(path, 'metadata')) ?? null;
    }
    return right;
  }

  actions(value: unknown, path: string): string[] | null {
    if (!Array.isArray(value)) return this.invalid(path, 'Expected an array of strings.') ?? null;
    value.forEach((action, index) => {
      if (typeof action !== 'string') this.invalid(pointer(path, index), 'Expected a string.');
      else if (action.trim() === '') {
        this.errors.push(
          validationError(VALIDATION_ERRORS.invalidValue, pointer(path, index), 'An action cannot be empty.'),
        );
      }
    });
    return value.filter((action): action is string => typeof action === 'string');
  }

  resources(value: unknown, path: string): ConsentResourceInput[] | null {
    if (!Array.isArray(value)) return this.invalid(path, 'Expected an array of resource attributes.') ?? null;
    const resources: ConsentResourceInput[] = [];
    value.forEach((attribute, index) => {
      const attributePath = pointer(path, index);
      if (!isObject(attribute)) return this.invalid(attributePath, 'Expected a resource attribute object.');
      const members = new MemberReader(attribute, attributePath, ['type', 'value'] as const, this.errors);
      const type = members.required('type');
      const valueMember = members.required('value');
      if (!type.present || !valueMember.present) return;
      if (typeof type.value !== 'string')
        return this.invalid(pointer(attributePath, 'type'), 'Expected a string.');
      if (typeof valueMember.value !== 'string')
        return this.invalid(pointer(attributePath, 'value'), 'Expected a string.');
      resources.push({ type: type.value, value: valueMember.value });
    });
    return resources;
  }

  requestMessage(value: unknown, path: string): Partial<Record<MessageLanguage, string>> | undefined {
    const messages = this.stringMap(value, path);
    if (messages === undefined) return undefined;
    for (const language of Object.keys(messages)) {
      if (!(MESSAGE_LANGUAGES as readonly string[]).includes(language)) {
        this.errors.push(
          validationError(
            VALIDATION_ERRORS.invalidValue,
            pointer(path, language),
            'requestMessage takes the languages nb, nn and en.',
          ),
        );
      }
    }
    return messages;
  }
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

/** Binds a create body, or lists every binding error (400 STD-00000; upstream-contract §2). */
export function bindConsentRequest(body: unknown): ConsentRequestBinding {
  const binder = new Binder();
  if (!isObject(body)) {
    binder.invalid('/', 'Expected a consent request object.');
    return { ok: false, errors: binder.errors };
  }
  const members = new MemberReader(body, '', TOP_LEVEL, binder.errors);

  const id = members.required('id');
  const boundId =
    id.present && typeof id.value === 'string' && isUuid(id.value)
      ? id.value.toLowerCase()
      : id.present
        ? binder.invalid('/id', 'Expected a UUID (8-4-4-4-12 hex digits).')
        : undefined;

  const partyMember = (name: 'from' | 'to'): PartyUrn | undefined => {
    const member = members.required(name);
    if (!member.present) return undefined;
    if (member.value === null) {
      binder.errors.push(validationError(VALIDATION_ERRORS.required, `/${name}`));
      return undefined;
    }
    return binder.party(member.value, `/${name}`);
  };
  const from = partyMember('from');
  const to = partyMember('to');

  const delegator = members.get('requiredDelegator');
  const requiredDelegator =
    delegator === undefined || delegator === null ? null : binder.party(delegator, '/requiredDelegator');

  const validToMember = members.required('validTo');
  const validTo = validToMember.present
    ? typeof validToMember.value === 'string'
      ? (parseDateTimeWithOffset(validToMember.value) ??
        binder.invalid('/validTo', 'Expected a date-time with offset, e.g. 2026-07-07T13:45:00+00:00.'))
      : binder.invalid('/validTo', 'Expected a date-time string with offset.')
    : undefined;

  const rightsMember = members.required('consentRights');
  let consentRights: ConsentRightInput[] | null | undefined;
  if (rightsMember.present) {
    if (rightsMember.value === null) consentRights = null;
    else if (!Array.isArray(rightsMember.value)) binder.invalid('/consentRights', 'Expected an array.');
    else {
      const rights = rightsMember.value.map((right, index) => binder.right(right, `/consentRights/${index}`));
      consentRights = rights.every((right) => right !== undefined) ? rights : undefined;
    }
  }

  const message = members.get('requestMessage');
  const requestMessage =
    message === undefined || message === null ? null : binder.requestMessage(message, '/requestMessage');

  const redirectMember = members.required('redirectUrl');
  let redirectUrl: string | undefined;
  if (redirectMember.present) {
    if (redirectMember.value === null)
      binder.errors.push(validationError(VALIDATION_ERRORS.required, '/redirectUrl'));
    else if (typeof redirectMember.value !== 'string') binder.invalid('/redirectUrl', 'Expected a string.');
    else redirectUrl = redirectMember.value;
  }

  const viewMode = members.get('portalViewMode');
  let portalViewMode: PortalViewMode | undefined = 'Hide';
  if (viewMode !== undefined && viewMode !== null) {
    const normalized = typeof viewMode === 'string' ? viewMode.toLowerCase() : undefined;
    portalViewMode =
      normalized === 'hide'
        ? 'Hide'
        : normalized === 'show'
          ? 'Show'
          : binder.invalid('/portalViewMode', 'Expected "Hide" or "Show".');
  }

  if (
    binder.errors.length > 0 ||
    boundId === undefined ||
    from === undefined ||
    to === undefined ||
    requiredDelegator === undefined ||
    validTo === undefined ||
    consentRights === undefined ||
    requestMessage === undefined ||
    redirectUrl === undefined ||
    portalViewMode === undefined
  ) {
    return { ok: false, errors: binder.errors };
  }
  return {
    ok: true,
    request: {
      id: boundId,
      from,
      to,
      requiredDelegator,
      validTo,
      consentRights,
      requestMessage,
      redirectUrl,
      portalViewMode,
    },
  };
}
