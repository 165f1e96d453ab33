import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import type { Method, Route } from '../../server/api/route';

// Any absolute address: the document's `#/components/...` references resolve against it.
const DOC = 'https://accessbot.test/api/v1/openapi.json';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const resolve = (doc: Json, ref: string): Json =>
  ref
    .slice(2)
    .split('/')
    .reduce((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);

/** `get /catalogs/{id} 200`: how the checks name a route's reply. */
export const replyKey = (method: Method, path: string, status: number) =>
  `${method} ${path} ${status}`;

/**
 * Validates replies against the schemas the served OpenAPI document declares, with ajv's
 * 2020-12 dialect (that of OpenAPI 3.1), and remembers which replies it has checked.
 */
export class ResponseChecker {
  private readonly ajv = new Ajv2020({ strict: true, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  readonly checked = new Set<string>();

  constructor(private readonly doc: Json) {
    addFormats(this.ajv);
    // Holds the schemas for references into it; as a keyword it validates nothing.
    this.ajv.addKeyword({ keyword: 'components' });
    this.ajv.addSchema({ $id: DOC, components: doc.components });
  }

  /** The schema of the JSON body the document declares for this reply, if any. */
  declared(method: Method, path: string, status: number): Json | undefined {
    const operation = this.doc.paths[path]?.[method];
    if (!operation) throw new Error(`The document has no ${method} ${path}.`);
    let reply = operation.responses[String(status)];
    if (reply?.$ref) reply = resolve(this.doc, reply.$ref);
    return reply?.content?.['application/json']?.schema;
  }

  /** What is wrong with `body` as that reply, as ajv says it; empty when it conforms. */
  errors(method: Method, path: string, status: number, body: unknown): string[] {
    const key = replyKey(method, path, status);
    let validate = this.validators.get(key);
    if (!validate) {
      const schema = this.declared(method, path, status);
      if (!schema) return [`${key}: the document declares no JSON body`];
      // A local reference in the document is one into the document at its address.
      const absolute = JSON.stringify(schema).replaceAll('"#/components/', `"${DOC}#/components/`);
      validate = this.ajv.compile(JSON.parse(absolute));
      this.validators.set(key, validate);
    }
    if (validate(body)) return [];
    return validate.errors!.map(
      (e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
    );
  }

  /** Checks a real reply against the document and records it as checked. */
  check(method: Method, path: string, res: Response) {
    const reply = replyKey(method, path, res.status);
    expect({ reply, type: res.type }).toEqual({ reply, type: 'application/json' });
    expect({ reply, errors: this.errors(method, path, res.status, res.body) }).toEqual({
      reply,
      errors: [],
    });
    this.checked.add(reply);
  }
}

/** The success replies with a JSON body, of routes in `routes`, that no check has seen. */
export const unchecked = (routes: readonly Route[], checked: ReadonlySet<string>) =>
  routes
    .filter((r) => r.success.status !== 204)
    .map((r) => replyKey(r.method, r.path, r.success.status))
    .filter((key) => !checked.has(key));
