import { Validator } from '@seriousme/openapi-schema-validator';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { z } from 'zod';
import { API_TOKEN_ACTOR } from '../../server/domain/actor';
import type { Services } from '../../server/domain/services';
import { catalogJson } from '../../server/api/dto/catalog';
import { mountRoutes } from '../../server/api/mount';
import { openApiDocument } from '../../server/api/openapi';
import { pathParamNames } from '../../server/api/path-params';
import { noContent, route } from '../../server/api/route';
import { createApiRouter } from '../../server/api/router';
import { API_ROUTES } from '../../server/api/routes';

// Serving the document runs no handler, so no services are needed.
const noServices = {} as Services;
const router = createApiRouter({
  services: noServices,
  tokens: [],
  logger: pino({ level: 'silent' }),
});
const app = express().use('/api/v1', router);

type Operation = {
  operationId: string;
  summary: string;
  parameters: Array<{ name: string; in: string; required: boolean; schema: object }>;
  requestBody?: { content: Record<string, { schema: { type?: string } }> };
  responses: Record<string, unknown>;
};
type Document = ReturnType<typeof openApiDocument> & {
  paths: Record<string, Record<string, Operation>>;
};

let doc: Document;
beforeAll(async () => {
  doc = (await request(app).get('/api/v1/openapi.json').expect(200)).body;
});

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );

test("validates against the OpenAPI specification's own JSON schema", async () => {
  const result = await new Validator().validate(doc);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
  // The validator does refuse a broken document: the same one without its info object.
  const { info: _, ...broken } = doc;
  expect((await new Validator().validate(broken)).valid).toBe(false);
});

test('is an OpenAPI 3.1 document served without a token', () => {
  expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  expect(doc.info.title).toBeTruthy();
  expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer' });
  expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument(API_ROUTES))));
});

test('describes every route of the table, and nothing else', () => {
  for (const r of API_ROUTES) {
    expect(doc.paths[r.path]?.[r.method]).toMatchObject({ summary: r.summary, tags: [r.tag] });
  }
  expect(operations()).toHaveLength(API_ROUTES.length);
  const ids = operations().map(({ op }) => op.operationId);
  expect(new Set(ids).size).toBe(ids.length);
});

test('declares every path parameter, required, as a UUID, and no others', () => {
  for (const { path, method, op } of operations()) {
    const declared = op.parameters.filter((p) => p.in === 'path');
    expect({ path, method, params: declared.map((p) => p.name).sort() }).toEqual({
      path,
      method,
      params: pathParamNames(path).sort(),
    });
    for (const p of declared) {
      expect(p.required).toBe(true);
      expect(p.schema).toMatchObject({ type: 'string', format: 'uuid' });
    }
  }
});

test('documents bodies, query parameters, statuses and error replies', () => {
  for (const r of API_ROUTES) {
    const op = doc.paths[r.path][r.method];
    expect(Object.keys(op.responses)).toEqual(
      expect.arrayContaining([String(r.success.status), '400', '401', '500']),
    );
    if (r.body) expect(op.requestBody?.content['application/json'].schema.type).toBe('object');
    else expect(op.requestBody).toBeUndefined();
  }
  const listRequests = doc.paths['/assignmentRequests'].get;
  expect(listRequests.parameters.find((p) => p.name === 'state')).toMatchObject({
    in: 'query',
    required: false,
    schema: { enum: expect.arrayContaining(['pendingApproval', 'denied']) },
  });
  expect(Object.keys(listRequests.responses['200'] as object)).toContain('content');
  expect((listRequests.responses['200'] as { content: object }).content).toHaveProperty('text/csv');
  const submit = doc.paths['/assignmentRequests'].post.requestBody!.content['application/json'];
  expect(submit.schema).toMatchObject({
    required: expect.arrayContaining(['requestorId', 'packageId']),
    properties: { start: { type: 'string', format: 'date-time' } },
  });
});

test('refers every JSON reply to a named schema, whose objects allow no other fields', () => {
  for (const r of API_ROUTES) {
    const reply = doc.paths[r.path][r.method].responses[String(r.success.status)] as {
      content?: Record<string, { schema: { $ref?: string } }>;
    };
    if (r.success.status === 204) expect(reply.content).toBeUndefined();
    else
      expect(reply.content?.['application/json'].schema.$ref).toMatch(
        /^#\/components\/schemas\/\w+$/,
      );
  }
  // A field a DTO sends but its schema lacks then fails the response tests.
  const loose: string[] = [];
  const walk = (node: unknown, at: string) => {
    if (typeof node !== 'object' || node === null) return;
    const schema = node as Record<string, unknown>;
    if (schema.type === 'object' && schema.properties && schema.additionalProperties !== false) {
      loose.push(at);
    }
    for (const [key, child] of Object.entries(schema)) walk(child, `${at}/${key}`);
  };
  walk(doc.components.schemas, '');
  // Domain errors carry details of their own: the error body alone stays open.
  expect(loose).toEqual(['/Error/properties/error']);
  expect(Object.keys(doc.components.schemas)).toEqual(
    expect.arrayContaining(['Error', 'Catalog', 'CatalogList', 'AssignmentRequest', 'AuditEvent']),
  );
});

test('a JSON reply without a named schema, or a 204 with one, is refused at start-up', () => {
  const row = (status: 200 | 204, response?: z.ZodType) =>
    route({
      method: 'get',
      path: '/things',
      summary: 'Test',
      tag: 'Test',
      success: { status, description: 'Test' },
      response,
      handler: async () => noContent(),
    });
  const name = 'GET /things: name its response schema';
  expect(() => openApiDocument([row(200)])).toThrow(name);
  expect(() => openApiDocument([row(200, z.object({}).strict())])).toThrow(name);
  expect(() => openApiDocument([row(204, catalogJson)])).toThrow('a 204 has no body');
  expect(() => openApiDocument([row(200, catalogJson)])).not.toThrow();
});

test('every $ref points into the document', () => {
  const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]);
  expect(refs.length).toBeGreaterThan(0);
  for (const ref of refs) {
    const pointer = ref.split('/');
    const target = pointer.reduce<unknown>(
      (node, key) => (node as Record<string, unknown> | undefined)?.[key],
      doc,
    );
    expect({ ref, found: target !== undefined }).toEqual({ ref, found: true });
  }
});

test('every route of the table is served by express at the same path', () => {
  const served = (
    router.stack as Array<{ route?: { path: string; methods: Record<string, boolean> } }>
  )
    .filter((layer) => layer.route)
    .flatMap((layer) => Object.keys(layer.route!.methods).map((m) => `${m} ${layer.route!.path}`));
  const expected = API_ROUTES.map((r) => `${r.method} ${r.path.replace(/\{(\w+)\}/g, ':$1')}`);
  expect(served.filter((s) => s !== 'get /openapi.json').sort()).toEqual(expected.sort());
});

test('a table row whose params do not match its path is refused at start-up', () => {
  const bad = route({
    method: 'get',
    path: '/things/{thingId}',
    summary: 'Mismatched',
    tag: 'Test',
    params: z.object({ id: z.uuid() }),
    success: { status: 204, description: 'Never' },
    handler: async () => noContent(),
  });
  expect(() =>
    mountRoutes(express.Router(), [bad], {
      services: noServices,
      actorOf: () => API_TOKEN_ACTOR,
    }),
  ).toThrow('/things/{thingId}: path has {thingId} but params declare {id}');
});
