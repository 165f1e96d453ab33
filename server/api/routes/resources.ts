import { resourceInputSchema } from '../../domain/resources';
import { resourceDto, resourceListJson, resourceJson } from '../dto/catalog';
import { idParam } from '../params';
import { created, list, noContent, ok, route } from '../route';

const tag = 'Resources';

export const resourceRoutes = [
  route({
    method: 'get',
    path: '/catalogs/{id}/resources',
    summary: "List a catalog's resources with their roles",
    tag,
    params: idParam,
    success: { status: 200, description: 'The resources' },
    response: resourceListJson,
    handler: async ({ services, params }) => {
      await services.catalogs.get(params.id);
      return list((await services.resources.list(params.id)).map(resourceDto));
    },
  }),
  route({
    method: 'post',
    path: '/catalogs/{id}/resources',
    summary: 'Add a resource (and its roles) to a catalog',
    tag,
    params: idParam,
    body: resourceInputSchema,
    success: { status: 201, description: 'The new resource with its roles' },
    response: resourceJson,
    handler: async ({ services, actor, params, body }) => {
      const resource = await services.resources.add(actor, params.id, body);
      return created(`/resources/${resource.id}`, resourceDto(resource));
    },
  }),
  route({
    method: 'get',
    path: '/resources/{id}',
    summary: 'Get a resource with its roles',
    tag,
    params: idParam,
    success: { status: 200, description: 'The resource' },
    response: resourceJson,
    handler: async ({ services, params }) =>
      ok(resourceDto(await services.resources.get(params.id))),
  }),
  route({
    method: 'delete',
    path: '/resources/{id}',
    summary: 'Remove a resource that no access package uses',
    tag,
    params: idParam,
    success: { status: 204, description: 'Removed' },
    handler: async ({ services, actor, params }) => {
      await services.resources.remove(actor, params.id);
      return noContent();
    },
  }),
];
