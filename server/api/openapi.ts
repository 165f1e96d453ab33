import { errorJson } from './dto/error';
import { dtoSchemas, nameOf } from './dto/schemas';
import { componentSchemas, jsonSchemaOf, type JsonSchema } from './json-schema';
import type { ObjectSchema, Route } from './route';

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `get /catalogs/{id}/owners/{userId}` → `getCatalogsByIdOwnersByUserId`: unique per row. */
const operationId = (route: Route) =>
  route.method +
  route.path
    .split('/')
    .filter(Boolean)
    .map((s) => (s.startsWith('{') ? `By${capitalize(s.slice(1, -1))}` : capitalize(s)))
    .join('');

function parameters(schema: ObjectSchema | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchemaOf(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    // Path parameters are always required; a query field is when it has no default.
    required: location === 'path' || required.has(name),
    schema: property,
  }));
}

function requestBody(route: Route) {
  if (!route.body) return {};
  const schema = jsonSchemaOf(route.body);
  const required = ((schema.required ?? []) as string[]).length > 0;
  return { requestBody: { required, content: { 'application/json': { schema } } } };
}

const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });
const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A route whose reply the document cannot describe is a bug: refuse to start, like mount does. */
function replySchema(route: Route) {
  const where = `${route.method.toUpperCase()} ${route.path}`;
  if (route.success.status === 204) {
    if (route.response) throw new Error(`${where}: a 204 has no body, so no response schema`);
    return undefined;
  }
  const name = route.response && nameOf(route.response);
  if (!name) throw new Error(`${where}: name its response schema with named() in dto/schemas.ts`);
  return schemaRef(name);
}

function responses(route: Route) {
  const { status, description, csv } = route.success;
  const schema = replySchema(route);
  const content = schema && {
    'application/json': { schema },
    ...(csv && { 'text/csv': { schema: { type: 'string' } } }),
  };
  const headers =
    status === 201
      ? { Location: { description: 'URL of the new item', schema: { type: 'string' } } }
      : undefined;
  return {
    [status]: { description, ...(content && { content }), ...(headers && { headers }) },
    400: ref('Invalid'),
    401: ref('Unauthorized'),
    403: ref('Forbidden'),
    404: ref('NotFound'),
    409: ref('Conflict'),
    ...(route.body && { 413: ref('TooLarge'), 415: ref('UnsupportedMediaType') }),
    500: ref('Internal'),
    503: ref('NotConfigured'),
  };
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: schemaRef(nameOf(errorJson)!) } },
});

/** The OpenAPI 3.1 description of the route table; nothing in it is written by hand twice. */
export function openApiDocument(routes: readonly Route[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path][route.method] = {
      operationId: operationId(route),
      summary: route.summary,
      tags: [route.tag],
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...requestBody(route),
      responses: responses(route),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Accessbot admin API',
      version: '1.0.0',
      description: [
        'Entitlement management: catalogs, access packages, policies, requests, approvals and assignments.',
        '',
        'Send an admin API token as a Bearer token; calls act as an administrator. Tokens are configured with `ADMIN_API_TOKEN` (named `default`) and `ADMIN_API_TOKENS` (comma-separated `name:token` pairs), so that each integration has its own token and its own name in the audit trail: every audit event records `channel: adminApi` and `apiToken: <name>`.',
        '',
        "A call that names a user (`requestorId` of a request, `approverId` of a decision) acts on that user's behalf: their rights are checked, and the audit event records both the user (`actorId`) and the token (`apiToken`, with `onBehalfOfUser: true`).",
      ].join('\n'),
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearerAuth: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas: componentSchemas(dtoSchemas),
      responses: {
        Invalid: errorResponse('Bad input: `field` names what to fix'),
        Unauthorized: errorResponse('Missing or wrong token'),
        Forbidden: errorResponse('Not allowed'),
        NotFound: errorResponse('No such item'),
        Conflict: errorResponse('Conflicts with the current state (or was already decided)'),
        TooLarge: errorResponse('Body over 100 KB'),
        UnsupportedMediaType: errorResponse('Body is not JSON'),
        Internal: errorResponse('A bug; logged on the server'),
        NotConfigured: errorResponse('Neither ADMIN_API_TOKEN nor ADMIN_API_TOKENS is set'),
      },
    },
  };
}
