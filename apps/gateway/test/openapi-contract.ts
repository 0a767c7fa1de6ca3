import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** The parts of an OpenAPI 3.1 document the contract reads. */
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components?: { headers?: Record<string, Header> };
}
interface Operation {
  responses: Record<string, Response>;
}
interface Response {
  headers?: Record<string, Header | { $ref: string }>;
  content?: Record<string, { schema?: unknown }>;
}
interface Header {
  required?: boolean;
  schema?: Record<string, unknown>;
}

/** An HTTP answer as the contract sees it (the e2e kit's `HttpAnswer` is one). */
export interface ContractAnswer {
  status: number;
  contentType: string | null;
  headers: Headers;
  body: unknown;
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks real answers against OpenAPI documents: the operation (by method and path) must document the
 * status; the media type, the body (JSON Schema 2020-12, formats included) and every documented header
 * (required ones present, present ones valid) must agree with it. Each document is added to Ajv whole, so
 * its `$ref`s resolve as they are written.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly documents: { id: string; document: Document }[] = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(documents: Record<string, unknown>) {
    addFormats(this.ajv);
    for (const [name, document] of Object.entries(documents)) {
      const id = `https://contract.test/${name}.json`;
      this.ajv.addSchema(document as object, id);
      this.documents.push({ id, document: document as Document });
    }
  }

  /** Every disagreement of `answer` with the documented operation `method path` (query ignored); [] when none. */
  violations(method: string, url: string, answer: ContractAnswer): string[] {
    const path = new URL(url, 'http://contract.test').pathname;
    const found = this.operation(method.toLowerCase(), path);
    if (!found) return [`${method} ${path}: no such operation in any document`];
    const { id, document, template, operation } = found;
    const where = `${method} ${template} → ${answer.status}`;
    const response = operation.responses[String(answer.status)] ?? operation.responses.default;
    if (!response) return [`${where}: status not documented`];
    const pointer = `${id}#/paths/${escape(template)}/${method.toLowerCase()}/responses/${
      operation.responses[String(answer.status)] ? answer.status : 'default'
    }`;
    const problems: string[] = [];
    const mediaType = answer.contentType?.split(';')[0].trim() ?? null;
    const content = response.content ?? {};
    if (Object.keys(content).length === 0) {
      if (answer.body !== undefined && answer.body !== '')
        problems.push(`${where}: a body where none is documented`);
    } else if (mediaType === null || !(mediaType in content)) {
      problems.push(`${where}: content type ${mediaType} is not one of ${Object.keys(content).join(', ')}`);
    } else if (content[mediaType].schema !== undefined) {
      const validate = this.validator(`${pointer}/content/${escape(mediaType)}/schema`);
      if (!validate(answer.body)) problems.push(...this.errors(`${where} body`, validate));
    }
    for (const [name, declared] of Object.entries(response.headers ?? {})) {
      const header = this.header(document, declared);
      const value = answer.headers.get(name);
      if (value === null) {
        if (header.required) problems.push(`${where}: required header ${name} is missing`);
        continue;
      }
      if (header.schema === undefined) continue;
      const validate = this.ajv.compile(header.schema);
      const typed =
        header.schema.type === 'integer' || header.schema.type === 'number' ? Number(value) : value;
      if (!validate(typed)) problems.push(...this.errors(`${where} header ${name}`, validate));
    }
    return problems;
  }

  private operation(method: string, path: string) {
    for (const { id, document } of this.documents) {
      for (const [template, item] of Object.entries(document.paths)) {
        const pattern = new RegExp(
          `^${template
            .split('/')
            .map((segment) =>
              /^\{.+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
            )
            .join('/')}$`,
        );
        if (pattern.test(path) && item[method]) return { id, document, template, operation: item[method] };
      }
    }
    return undefined;
  }

  private header(document: Document, declared: Header | { $ref: string }): Header {
    if (!('$ref' in declared)) return declared;
    const name = /^#\/components\/headers\/(.+)$/.exec(declared.$ref)?.[1];
    const header = name === undefined ? undefined : document.components?.headers?.[name];
    if (!header) throw new Error(`unresolvable header ${declared.$ref}`);
    return header;
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.validators.get(ref);
    if (!validate) this.validators.set(ref, (validate = this.ajv.compile({ $ref: ref })));
    return validate;
  }

  private errors(where: string, validate: ValidateFunction): string[] {
    return (validate.errors ?? []).map(
      (error) => `${where}: ${error.instancePath || '/'} ${error.message ?? ''}`,
    );
  }
}
