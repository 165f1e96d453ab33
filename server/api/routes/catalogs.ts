import { catalogInputSchema, catalogPatchSchema } from '../../domain/catalogs';
import {
  catalogDto,
  catalogListJson,
  catalogMemberDto,
  catalogMemberListJson,
  catalogJson,
} from '../dto/catalog';
import { idParam, pathIds } from '../params';
import { created, list, noContent, ok, route } from '../route';

const tag = 'Catalogs';
const memberParams = pathIds('id', 'userId');

// Graph calls the two catalog roles "owners" and "access package managers".
const roleRoutes = (segment: string, role: 'catalogOwner' | 'packageManager', title: string) => [
  route({
    method: 'put',
    path: `/catalogs/{id}/${segment}/{userId}`,
    summary: `Make a user one of the catalog's ${title}`,
    tag,
    params: memberParams,
    success: { status: 204, description: 'Granted (or already held)' },
    handler: async ({ services, actor, params }) => {
      await services.catalogs.setRole(actor, params.id, params.userId, role, true);
      return noContent();
    },
  }),
  route({
    method: 'delete',
    path: `/catalogs/{id}/${segment}/{userId}`,
    summary: `Remove a user from the catalog's ${title}`,
    tag,
    params: memberParams,
    success: { status: 204, description: 'Revoked' },
    handler: async ({ services, actor, params }) => {
      await services.catalogs.setRole(actor, params.id, params.userId, role, false);
      return noContent();
    },
  }),
];

export const catalogRoutes = [
  route({
    method: 'get',
    path: '/catalogs',
    summary: 'List catalogs (General first)',
    tag,
    success: { status: 200, description: 'The catalogs' },
    response: catalogListJson,
    handler: async ({ services }) => list((await services.catalogs.list()).map(catalogDto)),
  }),
  route({
    method: 'post',
    path: '/catalogs',
    summary: 'Create a catalog',
    tag,
    body: catalogInputSchema,
    success: { status: 201, description: 'The new catalog' },
    response: catalogJson,
    handler: async ({ services, actor, body }) => {
      const catalog = await services.catalogs.create(actor, body);
      return created(`/catalogs/${catalog.id}`, catalogDto(catalog));
    },
  }),
  route({
    method: 'get',
    path: '/catalogs/{id}',
    summary: 'Get a catalog',
    tag,
    params: idParam,
    success: { status: 200, description: 'The catalog' },
    response: catalogJson,
    handler: async ({ services, params }) => ok(catalogDto(await services.catalogs.get(params.id))),
  }),
  route({
    method: 'patch',
    path: '/catalogs/{id}',
    summary: 'Rename, describe, enable or disable a catalog',
    tag,
    params: idParam,
    body: catalogPatchSchema,
    success: { status: 200, description: 'The updated catalog' },
    response: catalogJson,
    handler: async ({ services, actor, params, body }) =>
      ok(catalogDto(await services.catalogs.update(actor, params.id, body))),
  }),
  route({
    method: 'delete',
    path: '/catalogs/{id}',
    summary: 'Delete an empty catalog',
    tag,
    params: idParam,
    success: { status: 204, description: 'Deleted' },
    handler: async ({ services, actor, params }) => {
      await services.catalogs.delete(actor, params.id);
      return noContent();
    },
  }),
  ...roleRoutes('owners', 'catalogOwner', 'owners'),
  ...roleRoutes('packageManagers', 'packageManager', 'access package managers'),
  route({
    method: 'get',
    path: '/catalogs/{id}/members',
    summary: "List the catalog's owners and access package managers",
    tag,
    params: idParam,
    success: { status: 200, description: 'Users with their catalog role' },
    response: catalogMemberListJson,
    handler: async ({ services, params }) =>
      list((await services.catalogs.members(params.id)).map(catalogMemberDto)),
  }),
];
