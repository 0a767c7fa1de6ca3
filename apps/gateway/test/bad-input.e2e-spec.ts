import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { createBody, READ, TENANT_A, TENANT_B, WRITE } from '@test/seed';
import { ADMIN_KEY, GatewayTestKit, type HttpAnswer } from './gateway-test-kit';

// What an attacker's bad input may do to the gateway: never a 5xx, every refusal problem+json with a
// request id and small, nothing stored. Example tests for each field found answering 500, then a
// property over every operation of the OpenAPI document with generated bad input.

/** JSON text put into a body as is: nesting or numbers that JSON.stringify cannot produce. */
class RawJson {
  constructor(readonly text: string) {}
}

type Json = string | number | boolean | null | RawJson | Json[] | { [key: string]: Json };

function serialize(body: Json): string {
  const raws: string[] = [];
  const text = JSON.stringify(body, (_key, value: unknown) =>
    value instanceof RawJson ? `\u0001raw${raws.push(value.text) - 1}\u0001` : value,
  );
  return raws.reduce(
    (json, raw, index) => json.replace(JSON.stringify(`\u0001raw${index}\u0001`), raw),
    text,
  );
}

interface Operation {
  method: string;
  /** OpenAPI path template, e.g. `/v1/consent-requests/{id}`. */
  template: string;
  pathParameters: string[];
  queryParameters: string[];
  headerParameters: string[];
  hasBody: boolean;
}

interface BadRequest {
  operation: Operation;
  /** Where the bad input is; everything else is what the operation accepts. */
  where: 'path' | 'query' | 'header' | 'body';
  path: string;
  query?: string;
  headers: Record<string, string>;
  body?: Json;
  /** A value long enough that no answer may repeat it. */
  oversized?: string;
}

/** Query parameter names of the APIs, for operations whose document does not list them. */
const QUERY_NAMES = [
  'limit',
  'cursor',
  'status',
  'after',
  'refresh',
  'updatedAfter',
  'tenantId',
  'actor',
  'action',
  'target',
  'from',
  'to',
];

/** A body each operation accepts; a bad request changes one place of it. */
const GOOD_BODIES: Record<string, () => Json> = {
  'POST /admin/v1/tenants': () => ({ orgNumber: TENANT_B, name: 'Sparebank Annen', scopes: [WRITE] }),
  'PATCH /admin/v1/tenants/{id}': () => ({
    name: 'Sparebank Super',
    scopes: [WRITE, READ],
    status: 'active',
  }),
  'POST /admin/v1/tenants/{id}/api-keys': () => ({ name: 'core banking' }),
  'POST /v1/consent-requests': () =>
    createBody({
      id: randomUUID(),
      requestMessage: { nb: 'Hei', en: 'Hi' },
      portalViewMode: 'Show',
    }),
  'POST /v1/consent-requests/{id}/token': () => ({ scope: READ }),
  'POST /v1/webhook-endpoints': () => ({
    url: 'http://127.0.0.1:9/hook',
    eventTypes: ['consent.created'],
  }),
  'PATCH /v1/webhook-endpoints/{id}': () => ({
    url: 'http://127.0.0.1:9/hook',
    eventTypes: ['consent.created', 'consent.accepted'],
    enabled: true,
  }),
  'POST /v1/webhook-endpoints/{id}/replay': () => ({ since: '2025-01-01T00:00:00Z' }),
};

/** Headers each operation validates besides the ones its document lists. */
const VALIDATED_HEADERS: Record<string, string[]> = { 'POST /v1/consent-requests': ['Idempotency-Key'] };

/** Documented headers that are advisory, never refused: RFC 7240 §2, a preference not understood is ignored. */
const ADVISORY_HEADERS = new Set(['Prefer']);

describe('bad input', () => {
  const kit = new GatewayTestKit();
  let tenantKey: string;
  let tenantId: string;
  let apiKeyId: string;
  let endpointId: string;
  let consentId: string;
  let tables: string[];

  const keyFor = (path: string) => (path.startsWith('/admin/') ? ADMIN_KEY : tenantKey);

  const rowCounts = async (): Promise<Record<string, number>> => {
    const [row] = await kit.database.dataSource.query<Record<string, number>[]>(
      `SELECT ${tables.map((table, index) => `(SELECT count(*) FROM "${table}")::int AS c${index}`).join(', ')}`,
    );
    return Object.fromEntries(tables.map((table, index) => [table, row[`c${index}`]]));
  };

  /** A request as the kit sends it, by the base URL the kit uses for the path's API. */
  const send = (request: Omit<BadRequest, 'operation' | 'where'> & { method: string }) =>
    kit.request(
      request.method,
      request.query === undefined ? request.path : `${request.path}?${request.query}`,
      {
        key: keyFor(request.path),
        headers: request.headers,
        ...(request.body === undefined ? {} : { rawBody: serialize(request.body) }),
      },
    );

  /**
   * The tenant API's document and, where the admin API has its own (on the listener the kit sends
   * `/admin/…` to), that one too, as one document.
   */
  const apiDocument = async (): Promise<any> => {
    const documents = await Promise.all(
      ['/docs-json', '/admin/docs-json'].map((path) => kit.request('GET', path, { key: null })),
    );
    const found = documents.filter((answer) => answer.status === 200).map((answer) => answer.body);
    return {
      paths: Object.assign({}, ...found.map((document) => document.paths)),
      components: { schemas: Object.assign({}, ...found.map((document) => document.components?.schemas)) },
    };
  };

  /** A small problem document with the request id, not repeating `text`. */
  const expectProblem = (answer: HttpAnswer, text: string) => {
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.headers.get('x-request-id')).toBeTruthy();
    expect(JSON.stringify(answer.body).length).toBeLessThan(16_384);
    expect(JSON.stringify(answer.body)).not.toContain(text.slice(0, 256));
  };

  const expectRefusal = (answer: HttpAnswer, text: string) => {
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expectProblem(answer, text);
  };

  beforeAll(async () => {
    await kit.start({
      RATE_LIMIT_PER_SECOND: '1000000',
      RATE_LIMIT_BURST: '1000000',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1:9',
      WEBHOOK_SECRET_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    ({ tenantId, key: tenantKey } = await kit.onboard(TENANT_A, 'Sparebank Super', [WRITE, READ]));
    apiKeyId = (await kit.request('GET', `/admin/v1/tenants/${tenantId}/api-keys`)).body.data[0].id;
    const endpoint = await kit.request('POST', '/v1/webhook-endpoints', {
      key: tenantKey,
      body: { url: 'http://127.0.0.1:9/hook' },
    });
    expect(endpoint.status).toBe(201);
    endpointId = endpoint.body.id;
    const consent = await kit.request('POST', '/v1/consent-requests', { key: tenantKey, body: createBody() });
    expect(consent.status).toBe(202);
    consentId = consent.body.id;
    const rows = await kit.database.dataSource.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    tables = rows.map((row) => row.table_name);
  });
  afterAll(() => kit.close());

  describe('the fields an attacker found answering 500', () => {
    const right = (changes: Record<string, unknown>) => [
      { ...(createBody().consentRights[0] as object), ...changes },
    ];
    const NUL = 'a\u0000b';
    const LONE = 'a\ud800b';
    const cases: [string, string, () => string, (bad: string) => Record<string, unknown>, string][] = [
      [
        'tenant name',
        'POST',
        () => '/admin/v1/tenants',
        (bad) => ({ orgNumber: TENANT_B, name: bad }),
        '/name',
      ],
      [
        'tenant name (PATCH)',
        'PATCH',
        () => `/admin/v1/tenants/${tenantId}`,
        (bad) => ({ name: bad }),
        '/name',
      ],
      [
        'API key name',
        'POST',
        () => `/admin/v1/tenants/${tenantId}/api-keys`,
        (bad) => ({ name: bad }),
        '/name',
      ],
      [
        'consent redirectUrl',
        'POST',
        () => '/v1/consent-requests',
        (bad) => createBody({ redirectUrl: `https://bank.example/${bad}` }),
        '/redirectUrl',
      ],
      [
        'consent requestMessage',
        'POST',
        () => '/v1/consent-requests',
        (bad) => createBody({ requestMessage: { nb: bad } }),
        '/requestMessage/nb',
      ],
      [
        'consent action',
        'POST',
        () => '/v1/consent-requests',
        (bad) => createBody({ consentRights: right({ action: [bad] }) }),
        '/consentRights/0/action/0',
      ],
      [
        'consent resource value',
        'POST',
        () => '/v1/consent-requests',
        (bad) =>
          createBody({ consentRights: right({ resource: [{ type: 'urn:altinn:resource', value: bad }] }) }),
        '/consentRights/0/resource/0/value',
      ],
      [
        'consent metadata value',
        'POST',
        () => '/v1/consent-requests',
        (bad) => createBody({ consentRights: right({ metadata: { INNTEKTSAAR: bad } }) }),
        '/consentRights/0/metadata/INNTEKTSAAR',
      ],
      [
        'webhook url',
        'POST',
        () => '/v1/webhook-endpoints',
        (bad) => ({ url: `http://127.0.0.1:9/${bad}` }),
        '/url',
      ],
      [
        'webhook url (PATCH)',
        'PATCH',
        () => `/v1/webhook-endpoints/${endpointId}`,
        (bad) => ({ url: `http://127.0.0.1:9/${bad}` }),
        '/url',
      ],
    ];

    it.each(
      cases.flatMap(([name, ...rest]) => [
        [`NUL in the ${name}`, ...rest, NUL] as const,
        [`a lone surrogate in the ${name}`, ...rest, LONE] as const,
      ]),
    )('refuses %s with 422 naming the field', async (_name, method, path, body, pointer, bad) => {
      const before = await rowCounts();
      const answer = await send({ method, path: path(), headers: {}, body: body(bad) as Json });
      expect(answer.status).toBe(422);
      expect(answer.contentType).toMatch(/^application\/problem\+json/);
      expect(answer.body.errors).toEqual([expect.objectContaining({ pointer })]);
      expect(await rowCounts()).toEqual(before);
    });

    it('refuses NUL and lone surrogates in metadata keys', async () => {
      const answer = await send({
        method: 'POST',
        path: '/v1/consent-requests',
        headers: {},
        body: createBody({ consentRights: right({ metadata: { 'A\u0000': '1', '\udc00': '2' } }) }),
      });
      expect(answer.status).toBe(422);
      expect(answer.body.errors.map((error: { pointer: string }) => error.pointer).sort()).toEqual([
        '/consentRights/0/metadata/A\u0000',
        '/consentRights/0/metadata/\udc00',
      ]);
    });

    const MEGABYTE = 'x'.repeat(1_000_000);
    it.each([
      ['requestMessage', createBody({ requestMessage: { nb: MEGABYTE } }), '/requestMessage/nb'],
      [
        'an action',
        createBody({ consentRights: right({ action: [MEGABYTE] }) }),
        '/consentRights/0/action/0',
      ],
      [
        'a resource value',
        createBody({
          consentRights: right({ resource: [{ type: 'urn:altinn:resource', value: MEGABYTE }] }),
        }),
        '/consentRights/0/resource/0/value',
      ],
      [
        'a metadata value',
        createBody({ consentRights: right({ metadata: { INNTEKTSAAR: MEGABYTE } }) }),
        '/consentRights/0/metadata/INNTEKTSAAR',
      ],
    ])('refuses a 1 MB string in %s and stores nothing', async (_name, body, pointer) => {
      const before = await rowCounts();
      const answer = await send({
        method: 'POST',
        path: '/v1/consent-requests',
        headers: {},
        body: body,
      });
      expect(answer.status).toBe(422);
      expect(answer.body.errors).toEqual([expect.objectContaining({ pointer })]);
      expectRefusal(answer, MEGABYTE);
      expect(await rowCounts()).toEqual(before);
    });

    it('refuses a 1 MB scope on the token route without repeating it', async () => {
      const answer = await send({
        method: 'POST',
        path: `/v1/consent-requests/${consentId}/token`,
        headers: {},
        body: { scope: MEGABYTE },
      });
      expect(answer.status).toBe(422);
      expect(answer.body.errors).toEqual([expect.objectContaining({ pointer: '/scope' })]);
      expectRefusal(answer, MEGABYTE);
    });

    it.each([
      ['longer than the router takes', `/v1/consent-requests/${'a'.repeat(101)}`],
      ['longer than an id', `/v1/consent-requests/${'a'.repeat(60)}`],
      ['badly percent-encoded', '/v1/consent-requests/%E0%A4'],
      ['a lone surrogate, percent-encoded', '/admin/v1/tenants/%ED%A0%80'],
      ['a NUL', '/admin/v1/tenants/%00'],
    ])('answers a path parameter %s with problem+json and a request id', async (_name, path) => {
      const answer = await send({ method: 'GET', path, headers: {} });
      expectRefusal(answer, 'a'.repeat(101));
    });
  });

  describe('the OpenAPI document', () => {
    it('gives every string and array a request may carry a maximum', async () => {
      const document = await apiDocument();
      const unbounded: string[] = [];
      const visit = (schema: any, where: string): void => {
        if (schema === null || typeof schema !== 'object') return;
        if (schema.$ref) return visit(resolve(document, schema.$ref), where);
        const types = [schema.type].flat();
        if (
          types.includes('string') &&
          schema.maxLength === undefined &&
          !schema.enum &&
          schema.const === undefined
        )
          unbounded.push(where);
        if (types.includes('array') && schema.maxItems === undefined) unbounded.push(where);
        for (const [name, property] of Object.entries(schema.properties ?? {}))
          visit(property, `${where}/${name}`);
        if (schema.items) visit(schema.items, `${where}/items`);
        if (typeof schema.additionalProperties === 'object') visit(schema.additionalProperties, `${where}/*`);
        if (schema.propertyNames) visit(schema.propertyNames, `${where}/(key)`);
        for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])])
          visit(branch, where);
      };
      for (const [path, operations] of Object.entries<any>(document.paths)) {
        for (const [method, operation] of Object.entries<any>(operations)) {
          const where = `${method.toUpperCase()} ${path}`;
          for (const parameter of operation.parameters ?? [])
            visit(parameter.schema, `${where} ${parameter.in} ${parameter.name}`);
          for (const [type, content] of Object.entries<any>(operation.requestBody?.content ?? {}))
            visit(content.schema, `${where} body (${type})`);
        }
      }
      expect(unbounded).toEqual([]);
    });

    it('documents every path parameter, every body and every validated header', async () => {
      const document = await apiDocument();
      const missing: string[] = [];
      for (const [path, operations] of Object.entries<any>(document.paths)) {
        for (const [method, operation] of Object.entries<any>(operations)) {
          const where = `${method.toUpperCase()} ${path}`;
          const documented = (place: string, name: string) =>
            (operation.parameters ?? []).some(
              (parameter: any) =>
                parameter.in === place && parameter.name.toLowerCase() === name.toLowerCase(),
            );
          for (const [, name] of path.matchAll(/\{([^}]+)\}/g))
            if (!documented('path', name)) missing.push(`${where} path ${name}`);
          if (GOOD_BODIES[where] && !operation.requestBody) missing.push(`${where} body`);
          for (const name of VALIDATED_HEADERS[where] ?? [])
            if (!documented('header', name)) missing.push(`${where} header ${name}`);
        }
      }
      expect(missing).toEqual([]);
    });
  });

  describe('every operation, property-based', () => {
    let operations: Operation[];

    beforeAll(async () => {
      const document = await apiDocument();
      operations = Object.entries<any>(document.paths)
        .filter(([path]) => path.startsWith('/v1/') || path.startsWith('/admin/v1/'))
        .flatMap(([template, methods]) =>
          Object.entries<any>(methods).map(([method, operation]): Operation => {
            const documented = (place: string) =>
              ((operation.parameters ?? []) as { in: string; name: string }[])
                .filter((parameter) => parameter.in === place)
                .map((parameter) => parameter.name);
            return {
              method: method.toUpperCase(),
              template,
              pathParameters: [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]),
              queryParameters: documented('query'),
              headerParameters: documented('header'),
              hasBody:
                operation.requestBody !== undefined ||
                GOOD_BODIES[`${method.toUpperCase()} ${template}`] !== undefined,
            };
          }),
        );
      expect(operations.length).toBeGreaterThan(20);
    });

    /** 503s that say what this gateway without a worker lacks, whatever the input (no JWKS published yet). */
    const STATE_UNAVAILABLE = new Set(['signing.jwks_not_published']);

    /** An id that exists, so that only the bad input can explain a refusal. */
    const goodParameter = (template: string, name: string): string => {
      if (name === 'keyId') return apiKeyId;
      if (template.startsWith('/admin/v1/tenants/')) return tenantId;
      if (template.startsWith('/v1/consent-requests/')) return consentId;
      if (template.startsWith('/v1/webhook-endpoints/')) return endpointId;
      return randomUUID();
    };

    const asciiText = fc.string({ maxLength: 12 });
    const oversizedText = fc
      .tuple(fc.integer({ min: 2_049, max: 250_000 }), fc.constantFrom('x', 'é', '€', '\ud83c\udfe6'))
      .map(([length, unit]) => unit.repeat(length));
    const nulText = fc.tuple(asciiText, asciiText).map(([a, b]) => `${a}\u0000${b}`);
    const loneSurrogateText = fc
      .tuple(asciiText, fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff'), asciiText)
      .map(([a, lone, b]) => `${a}${lone}${b}`);
    const hugeNumber = fc.constantFrom<Json>(
      new RawJson('1e400'),
      new RawJson('-1e400'),
      new RawJson('123456789012345678901234567890'),
      1.7976931348623157e308,
      -Number.MAX_VALUE,
      2 ** 64,
    );
    const deepNesting = fc
      .tuple(fc.integer({ min: 33, max: 100_000 }), fc.boolean())
      .map(([depth, arrays]) =>
        arrays
          ? new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`)
          : new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
      );
    const badKey = fc.oneof(
      nulText,
      loneSurrogateText,
      fc.integer({ min: 101, max: 5_000 }).map((length) => 'k'.repeat(length)),
    );

    /** A value of another JSON type than `original` (never null: some fields are nullable). */
    const otherType = (original: unknown): fc.Arbitrary<Json> => {
      const choices: fc.Arbitrary<Json>[] = [];
      if (typeof original !== 'string') choices.push(asciiText);
      if (typeof original !== 'number') choices.push(fc.integer(), hugeNumber);
      if (typeof original !== 'boolean') choices.push(fc.boolean());
      if (!Array.isArray(original)) choices.push(fc.constant([1]), fc.constant(['x', 2]));
      if (typeof original !== 'object' || original === null || Array.isArray(original))
        choices.push(fc.constant({ x: 1 }));
      return fc.oneof(...choices);
    };

    /** Every place of a JSON value: its path and what is there. */
    const placesOf = (
      value: Json,
      path: (string | number)[] = [],
    ): { path: (string | number)[]; value: Json }[] => {
      const here = { path, value };
      if (Array.isArray(value))
        return [here, ...value.flatMap((item, index) => placesOf(item, [...path, index]))];
      if (value !== null && typeof value === 'object' && !(value instanceof RawJson))
        return [here, ...Object.entries(value).flatMap(([key, item]) => placesOf(item, [...path, key]))];
      return [here];
    };

    const replaced = (value: Json, path: (string | number)[], replacement: (old: Json) => Json): Json => {
      if (path.length === 0) return replacement(value);
      const [head, ...rest] = path;
      const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
      copy[head] = replaced(copy[head], rest, replacement);
      return copy;
    };

    /** The good body with one place made bad; `oversized` is set when the bad value is long. */
    const badBody = (good: Json): fc.Arbitrary<{ body: Json; oversized?: string }> =>
      fc.constantFrom(...placesOf(good)).chain(({ path, value }) => {
        const at = (bad: fc.Arbitrary<Json>) =>
          bad.map((json) => ({ body: replaced(good, path, () => json) }));
        const kinds: fc.Arbitrary<{ body: Json; oversized?: string }>[] = [
          at(otherType(value)),
          at(deepNesting),
        ];
        if (typeof value === 'string') {
          kinds.push(
            at(nulText),
            at(loneSurrogateText),
            oversizedText.map((text) => ({ body: replaced(good, path, () => text), oversized: text })),
          );
        }
        if (Array.isArray(value)) {
          kinds.push(
            fc
              .integer({ min: 51, max: 3_000 })
              .map((length) => ({ body: replaced(good, path, () => Array(length).fill(value[0] ?? 'x')) })),
          );
        }
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          kinds.push(
            badKey.map((key) => ({
              body: replaced(good, path, (old) => ({ ...(old as object), [key]: 'v' })),
              ...(key.length > 2_000 ? { oversized: key } : {}),
            })),
          );
        }
        return fc.oneof(...kinds);
      });

    /** Percent-encoding that keeps a lone surrogate (as the three bytes WTF-8 gives it), which UTF-8 cannot. */
    const encoded = (text: string) =>
      [...text]
        .map((char) => {
          const unit = char.charCodeAt(0);
          if (char.length > 1 || unit < 0xd800 || unit > 0xdfff) return encodeURIComponent(char);
          return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
            .map((byte) => `%${byte.toString(16).toUpperCase()}`)
            .join('');
        })
        .join('');
    const badParameter = fc.oneof(
      fc.constantFrom('%00', 'a%00b', '%ED%A0%80', '%E0%A4', '%zz', '42', 'not-a-uuid', '%2F', 'null', '-1'),
      fc.uuid().map((uuid) => `${uuid}x`),
      fc.uuid().map((uuid) => `${uuid}%00`),
      fc.integer({ min: 37, max: 3_000 }).map((length) => 'a'.repeat(length)),
    );
    const badQueryValue = fc.oneof(
      fc.constantFrom(
        '%00',
        '%ED%A0%80',
        '%zz',
        '',
        'NaN',
        '1e400',
        '-1',
        '0',
        '99999999999999999999',
        'true',
      ),
      nulText.map(encoded),
      fc.integer({ min: 513, max: 20_000 }).map((length) => 'q'.repeat(length)),
    );
    const badIdempotencyKey = fc.oneof(
      fc.integer({ min: 258, max: 8_000 }).map((length) => 'k'.repeat(length)),
      fc.constantFrom('', 'a b', 'æøå', `"${'k'.repeat(256)}"`),
    );

    const badRequest = (operation: Operation): fc.Arbitrary<BadRequest> => {
      const key = `${operation.method} ${operation.template}`;
      const goodBody = operation.hasBody ? (GOOD_BODIES[key]?.() ?? {}) : undefined;
      const headers = [...operation.headerParameters, ...(VALIDATED_HEADERS[key] ?? [])].filter(
        (name) => !ADVISORY_HEADERS.has(name),
      );
      const goodPath = () =>
        operation.template.replace(/\{([^}]+)\}/g, (_match, name: string) =>
          goodParameter(operation.template, name),
        );
      const request = (where: BadRequest['where'], changes: Partial<BadRequest>): BadRequest => ({
        operation,
        where,
        path: goodPath(),
        headers: {},
        ...(goodBody === undefined ? {} : { body: goodBody }),
        ...changes,
      });
      const choices: fc.Arbitrary<BadRequest>[] = [];
      if (operation.pathParameters.length > 0) {
        choices.push(
          fc.tuple(fc.constantFrom(...operation.pathParameters), badParameter).map(([name, bad]) =>
            request('path', {
              path: operation.template.replace(/\{([^}]+)\}/g, (_match, other: string) =>
                other === name ? bad : goodParameter(operation.template, other),
              ),
            }),
          ),
        );
      }
      // Only reads may ignore a query they do not know; a write must refuse it or take none.
      if (operation.method === 'GET' || operation.queryParameters.length > 0) {
        const names = fc.oneof(
          fc.constantFrom(...new Set([...operation.queryParameters, ...QUERY_NAMES])),
          badKey.map(encoded),
        );
        choices.push(
          fc
            .array(fc.tuple(names, badQueryValue), { minLength: 1, maxLength: 3 })
            .map((pairs) =>
              request('query', { query: pairs.map(([name, value]) => `${name}=${value}`).join('&') }),
            ),
        );
      }
      if (headers.length > 0) {
        choices.push(
          fc
            .tuple(fc.constantFrom(...headers), badIdempotencyKey)
            .map(([name, value]) => request('header', { headers: { [name]: value } })),
        );
      }
      if (goodBody !== undefined) {
        choices.push(
          badBody(goodBody).map(({ body, oversized }) =>
            request('body', { body, ...(oversized ? { oversized } : {}) }),
          ),
        );
      }
      return fc.oneof(...choices);
    };

    it('never answers 5xx, refuses with small problem+json and a request id, and stores nothing', async () => {
      const seed = Number(process.env.BAD_INPUT_SEED ?? 20_260_115);
      const numRuns = Number(process.env.BAD_INPUT_RUNS ?? 1_500);
      const property = fc.asyncProperty(fc.constantFrom(...operations).chain(badRequest), async (bad) => {
        const before = await rowCounts();
        const answer = await send({ method: bad.operation.method, ...bad });
        const label = `${bad.operation.method} ${bad.operation.template} (bad ${bad.where}) answered ${answer.status}`;
        const unavailable = answer.status === 503 && STATE_UNAVAILABLE.has(answer.body?.code);
        expect([label, answer.status < 500 || unavailable]).toEqual([label, true]);
        if (answer.status >= 400) expectProblem(answer, bad.oversized ?? '\u0000'.repeat(300));
        // Only a read may answer 2xx, over a query parameter it does not take.
        else expect([label, bad.where]).toEqual([label, 'query']);
        expect([label, await rowCounts()]).toEqual([label, before]);
      });
      await fc.assert(property, { seed, numRuns, verbose: 1 });
    }, 600_000);
  });
});

function resolve(document: any, reference: string): unknown {
  return reference
    .replace(/^#\//, '')
    .split('/')
    .reduce((node: any, segment) => node?.[segment.replace(/~1/g, '/').replace(/~0/g, '~')], document);
}
