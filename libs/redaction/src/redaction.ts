/** What a redacted value or piece of text is replaced by. */
export const REDACTED = '[REDACTED]';

export interface RedactionOptions {
  /**
   * Exact values that must never be written (admin keys, encryption keys, static credentials), for secrets
   * no pattern can recognise. Values shorter than 8 characters are ignored: they would mask ordinary words.
   */
  secrets?: readonly string[];
}

/** Field names whose values are secret whatever they hold (`access_token`, `apiKey`, `authorization`, …). */
const SENSITIVE_FIELD = /token|secret|passw(?:or)?d|assertion|key|authorization|cookie|credential|signature/i;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * Text patterns, applied in order to every string. Each replacement keeps enough context to read the line
 * (`Bearer [REDACTED]`, `assertion=[REDACTED]`).
 */
const TEXT_RULES: readonly {
  pattern: RegExp;
  replace: string | ((match: string, ...groups: string[]) => string);
}[] = [
  // Standard Webhooks secrets.
  { pattern: /whsec_[A-Za-z0-9+/=_-]*/g, replace: REDACTED },
  // Tenant API keys `sgw_<env>_<prefix><secret>` (and anything else shaped like them).
  { pattern: /\bsgw_[a-z0-9]{1,8}_[A-Za-z0-9_-]+/g, replace: REDACTED },
  // Credentials after an HTTP auth scheme, e.g. an `Authorization` header quoted in a message.
  { pattern: /\b(Bearer|Basic|DPoP)(\s+)[A-Za-z0-9._~+/=-]+/gi, replace: `$1$2${REDACTED}` },
  // JWTs, JWS signing inputs and JWT assertions: a base64url JSON header (`{"` = `eyJ`) and what follows.
  { pattern: /eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){0,4}/g, replace: REDACTED },
  // Any other three long base64url segments (a JWS whose header does not start with `{"`).
  { pattern: /[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, replace: REDACTED },
  // `name=value`, `name: value`, `"name":"value"` where the name says secret (form bodies, query strings,
  // JSON or headers quoted inside a message).
  {
    pattern:
      /([\w-]*(?:token|secret|passw(?:or)?d|assertion|authorization|api[_-]?key|cookie|credential)[\w-]*)(["']?[ \t]*[:=][ \t]*["']?)(?!\[REDACTED\]|(?:Bearer|Basic|DPoP)\s)[^\s"'&,;}\]]+/gi,
    replace: `$1$2${REDACTED}`,
  },
  // Passwords in URLs: scheme://user:password@host.
  { pattern: /(\/\/[^:/@\s"']+:)[^@/\s"']+@/g, replace: `$1${REDACTED}@` },
  // Fødselsnummer and D-numbers: any run of exactly 11 digits, also inside URNs and words. UUIDs are
  // matched first and kept whole: their last group can hold 11 digits in a row.
  {
    pattern: new RegExp(`${UUID}|(?<!\\d)\\d{11}(?!\\d)`, 'gi'),
    replace: (match) => (match.length === 11 ? REDACTED : match),
  },
];

/**
 * Matches wherever some rule of TEXT_RULES could: text it does not match is returned as is, at the cost
 * of one scan instead of one per rule. Each alternative is implied by a rule (its literal start, or the
 * rule itself), so the rules are never skipped for text one of them would change.
 */
const MAYBE_SECRET =
  /whsec_|sgw_|bearer|basic|dpop|eyJ|[A-Za-z0-9_-]{16}\.|token|secret|passw|assertion|authorization|api[_-]?key|cookie|credential|\/\/[^:/@\s"']+:[^@/\s"']+@|\d{11}/i;

/** Masks every secret pattern and every known secret value in `text`. */
export function redactText(text: string, options: RedactionOptions = {}): string {
  let result = text;
  for (const secret of options.secrets ?? []) {
    if (secret.length >= 8 && result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return MAYBE_SECRET.test(result) ? applyTextRules(result) : result;
}

/** Every rule of TEXT_RULES in turn, with no check first (`redactText` checks). */
export function applyTextRules(text: string): string {
  let result = text;
  for (const rule of TEXT_RULES) {
    result = result.replace(rule.pattern, rule.replace as (match: string, ...groups: string[]) => string);
  }
  return result;
}

/** Whether a field of this name holds a secret whatever its value. */
export function isSensitiveField(name: string): boolean {
  return SENSITIVE_FIELD.test(name);
}

/**
 * A copy of `value` with every string redacted (`redactText`), every 11-digit number masked, and the value
 * of every field named like a secret replaced whole. Keys are redacted too: a map may be keyed by a
 * fødselsnummer. What JSON would write of an object with `toJSON` (a Date, a Buffer) is what is redacted.
 */
export function redactValue(
  value: unknown,
  options: RedactionOptions = {},
  seen = new Set<object>(),
): unknown {
  if (typeof value === 'string') return redactText(value, options);
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) >= 1e10 && Math.abs(value) < 1e11 ? REDACTED : value;
  }
  if (typeof value === 'bigint') return /^-?\d{11}$/.test(String(value)) ? REDACTED : value;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  // No log line needs structure this deep; a pathological value costs no more than this.
  if (seen.size >= MAX_DEPTH) return '[...]';
  // The objects on the way down, not every one met: an object referred to twice is no cycle.
  seen.add(value);
  let result: unknown;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    result = redactValue((value as { toJSON(): unknown }).toJSON(), options, seen);
  } else if (Array.isArray(value)) {
    result = value.map((item) => redactValue(item, options, seen));
  } else {
    result = redactFields(value as Record<string, unknown>, options, NONE, seen);
  }
  seen.delete(value);
  return result;
}

const NONE: ReadonlySet<string> = new Set();
const MAX_DEPTH = 10;

/**
 * `redactValue` of an object's fields, except the `trusted` ones, kept as they are: fields whose
 * serializer writes only known fields and redacts those that can carry personal data or secrets.
 */
export function redactFields(
  fields: Record<string, unknown>,
  options: RedactionOptions = {},
  trusted: ReadonlySet<string> = NONE,
  seen = new Set<object>(),
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(fields)) {
    if (trusted.has(key)) result[key] = item;
    else {
      result[redactText(key, options)] =
        isSensitiveField(key) && item !== null && item !== undefined && typeof item !== 'boolean'
          ? REDACTED
          : redactValue(item, options, seen);
    }
  }
  return result;
}

/**
 * One serialized log line (pino writes one JSON object and a newline) with everything secret masked. A
 * line that is not JSON is redacted as text.
 */
export function redactLogLine(line: string, options: RedactionOptions = {}): string {
  const newline = line.endsWith('\n') ? '\n' : '';
  const body = newline ? line.slice(0, -1) : line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return redactText(line, options);
  }
  return JSON.stringify(redactValue(parsed, options)) + newline;
}

/**
 * The secret values of a parsed configuration, to mask wherever they turn up: every variable whose name
 * marks it secret (`*_API_KEY`, `*_SECRET_*`, `*_ENCRYPTION_KEY`, `*PASSWORD*`), strings, lists and binary
 * keys (also in base64, as they were given).
 */
export function configSecrets(config: Record<string, unknown>): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(config)) {
    if (!/API_KEY|SECRET|ENCRYPTION_KEY|PASSWORD|PERSONAL_DATA_KEYS/.test(name)) continue;
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (typeof item === 'string') secrets.push(item);
      else if (item instanceof Uint8Array) secrets.push(Buffer.from(item).toString('base64'));
      // Key rings: `{ keyId, key }` entries (PERSONAL_DATA_KEYS).
      else if (
        typeof item === 'object' &&
        item !== null &&
        (item as { key?: unknown }).key instanceof Uint8Array
      )
        secrets.push(Buffer.from((item as { key: Uint8Array }).key).toString('base64'));
    }
  }
  return secrets;
}
