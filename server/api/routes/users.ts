import { z } from 'zod';
import { pageOffset } from '../../domain/fields';
import { browseQuerySchema } from '../../domain/browse';
import { userInputSchema } from '../../domain/directory';
import { requestablePackageDto, requestablePackagePageJson } from '../dto/browse';
import { userDto, userListJson, userJson } from '../dto/directory';
import { idParam } from '../params';
import { created, list, noContent, ok, route } from '../route';

const tag = 'Users';

const catalogCreator = (granted: boolean) =>
  route({
    method: granted ? 'put' : 'delete',
    path: '/users/{id}/roles/catalogCreator',
    summary: granted
      ? 'Let a user create catalogs'
      : 'Stop a user from creating catalogs (catalogs they own stay theirs)',
    tag,
    params: idParam,
    success: { status: 204, description: granted ? 'Granted' : 'Revoked' },
    handler: async ({ services, actor, params }) => {
      await services.directory.setCatalogCreator(actor, params.id, granted);
      return noContent();
    },
  });

export const userRoutes = [
  route({
    method: 'get',
    path: '/users',
    summary: 'List users by email',
    tag,
    query: z
      .object({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        offset: pageOffset,
      })
      .strict(),
    success: { status: 200, description: 'The users' },
    response: userListJson,
    handler: async ({ services, query }) =>
      list((await services.directory.listUsers(query)).map(userDto)),
  }),
  route({
    method: 'post',
    path: '/users',
    summary: 'Add a user (chat sign-ins add themselves; this is for approvers and tests)',
    tag,
    body: userInputSchema,
    success: { status: 201, description: 'The new user' },
    response: userJson,
    handler: async ({ services, actor, body }) => {
      const user = await services.directory.createUser(actor, body);
      return created(`/users/${user.id}`, userDto(user));
    },
  }),
  route({
    method: 'get',
    path: '/users/{id}',
    summary: 'Get a user',
    tag,
    params: idParam,
    success: { status: 200, description: 'The user' },
    response: userJson,
    handler: async ({ services, params }) =>
      ok(userDto(await services.directory.getUser(params.id))),
  }),
  route({
    method: 'get',
    path: '/users/{id}/accessPackages',
    summary: 'The access packages this user may request, as they would browse them',
    tag,
    params: idParam,
    query: browseQuerySchema.strict(),
    success: { status: 200, description: 'One page of packages and the cursor of the next' },
    response: requestablePackagePageJson,
    handler: async ({ services, params, query }) => {
      const user = await services.directory.getUser(params.id);
      const page = await services.browse.browse(user, query);
      return list(page.items.map(requestablePackageDto), { nextCursor: page.nextCursor });
    },
  }),
  catalogCreator(true),
  catalogCreator(false),
];
