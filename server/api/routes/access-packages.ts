import { z } from 'zod';
import { Conflict } from '../../domain/errors';
import { pageOffset } from '../../domain/fields';
import { packageInputSchema, packagePatchSchema } from '../../domain/packages';
import {
  accessPackageDto,
  accessPackageListJson,
  accessPackageJson,
  packageResourceRoleDto,
  packageResourceRoleListJson,
  resourceRoleAddedJson,
  resourceRoleRemovedJson,
} from '../dto/access-package';
import { idParam, pathIds } from '../params';
import { created, list, noContent, ok, route } from '../route';

const tag = 'Access packages';

const listQuery = z
  .object({
    catalogId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: pageOffset,
  })
  .strict();

export const accessPackageRoutes = [
  route({
    method: 'get',
    path: '/accessPackages',
    summary: 'List access packages, optionally of one catalog',
    tag,
    query: listQuery,
    success: { status: 200, description: 'The access packages, by name' },
    response: accessPackageListJson,
    handler: async ({ services, query }) =>
      list((await services.packages.list(query)).map(accessPackageDto)),
  }),
  route({
    method: 'post',
    path: '/accessPackages',
    summary: 'Create an access package (in General unless a catalog is named)',
    tag,
    body: packageInputSchema,
    success: { status: 201, description: 'The new access package' },
    response: accessPackageJson,
    handler: async ({ services, actor, body }) => {
      const pkg = await services.packages.create(actor, body);
      return created(`/accessPackages/${pkg.id}`, accessPackageDto(pkg));
    },
  }),
  route({
    method: 'get',
    path: '/accessPackages/{id}',
    summary: 'Get an access package',
    tag,
    params: idParam,
    success: { status: 200, description: 'The access package' },
    response: accessPackageJson,
    handler: async ({ services, params }) =>
      ok(accessPackageDto(await services.packages.get(params.id))),
  }),
  route({
    method: 'patch',
    path: '/accessPackages/{id}',
    summary: 'Rename, describe, hide or unhide an access package',
    tag,
    params: idParam,
    body: packagePatchSchema,
    success: { status: 200, description: 'The updated access package' },
    response: accessPackageJson,
    handler: async ({ services, actor, params, body }) =>
      ok(accessPackageDto(await services.packages.update(actor, params.id, body))),
  }),
  route({
    method: 'delete',
    path: '/accessPackages/{id}',
    summary: 'Delete an access package without active assignments; its open requests are canceled',
    tag,
    params: idParam,
    success: { status: 204, description: 'Deleted' },
    handler: async ({ services, actor, params }) => {
      await services.packages.delete(actor, params.id);
      return noContent();
    },
  }),
  route({
    method: 'get',
    path: '/accessPackages/{id}/resourceRoles',
    summary: 'List the resource roles an access package grants',
    tag,
    params: idParam,
    success: { status: 200, description: 'The resource roles' },
    response: packageResourceRoleListJson,
    handler: async ({ services, params }) =>
      list((await services.packages.resourceRoles(params.id)).map(packageResourceRoleDto)),
  }),
  route({
    method: 'post',
    path: '/accessPackages/{id}/resourceRoles',
    summary: 'Add a resource role; current assignees receive it',
    tag,
    params: idParam,
    body: z.object({ resourceRoleId: z.uuid() }).strict(),
    success: { status: 201, description: 'The added role and how many grants were queued' },
    response: resourceRoleAddedJson,
    handler: async ({ services, actor, params, body }) => {
      const { grantsQueued } = await services.packages.addResourceRole(
        actor,
        params.id,
        body.resourceRoleId,
      );
      const roles = await services.packages.resourceRoles(params.id);
      const added = roles.find((r) => r.resourceRoleId === body.resourceRoleId);
      // Only a concurrent removal, between the add and this read, leaves nothing to describe.
      if (!added) throw new Conflict('The resource role was removed again while being added.');
      return created(`/accessPackages/${params.id}/resourceRoles/${body.resourceRoleId}`, {
        ...packageResourceRoleDto(added),
        grantsQueued,
      });
    },
  }),
  route({
    method: 'delete',
    path: '/accessPackages/{id}/resourceRoles/{resourceRoleId}',
    summary: 'Remove a resource role; current assignees lose it',
    tag,
    params: pathIds('id', 'resourceRoleId'),
    success: { status: 200, description: 'How many revocations were queued' },
    response: resourceRoleRemovedJson,
    handler: async ({ services, actor, params }) =>
      ok(await services.packages.removeResourceRole(actor, params.id, params.resourceRoleId)),
  }),
];
