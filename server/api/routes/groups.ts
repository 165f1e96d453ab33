import { groupInputSchema } from '../../domain/directory';
import { groupDto, groupListJson, groupJson, userDto, userListJson } from '../dto/directory';
import { idParam, pathIds } from '../params';
import { created, list, noContent, ok, route } from '../route';

const tag = 'Groups';
const memberParams = pathIds('id', 'userId');

export const groupRoutes = [
  route({
    method: 'get',
    path: '/groups',
    summary: 'List groups by name',
    tag,
    success: { status: 200, description: 'The groups' },
    response: groupListJson,
    handler: async ({ services }) => list((await services.directory.listGroups()).map(groupDto)),
  }),
  route({
    method: 'post',
    path: '/groups',
    summary: 'Create a group, for policy scopes and approvers',
    tag,
    body: groupInputSchema,
    success: { status: 201, description: 'The new group' },
    response: groupJson,
    handler: async ({ services, actor, body }) => {
      const group = await services.directory.createGroup(actor, body);
      return created(`/groups/${group.id}`, groupDto(group));
    },
  }),
  route({
    method: 'get',
    path: '/groups/{id}',
    summary: 'Get a group',
    tag,
    params: idParam,
    success: { status: 200, description: 'The group' },
    response: groupJson,
    handler: async ({ services, params }) =>
      ok(groupDto(await services.directory.getGroup(params.id))),
  }),
  route({
    method: 'get',
    path: '/groups/{id}/members',
    summary: "List a group's members",
    tag,
    params: idParam,
    success: { status: 200, description: 'The members' },
    response: userListJson,
    handler: async ({ services, params }) =>
      list((await services.directory.groupMembers(params.id)).map(userDto)),
  }),
  route({
    method: 'put',
    path: '/groups/{id}/members/{userId}',
    summary: 'Add a user to a group',
    tag,
    params: memberParams,
    success: { status: 204, description: 'Added (or already a member)' },
    handler: async ({ services, actor, params }) => {
      await services.directory.addGroupMember(actor, params.id, params.userId);
      return noContent();
    },
  }),
  route({
    method: 'delete',
    path: '/groups/{id}/members/{userId}',
    summary: 'Remove a user from a group',
    tag,
    params: memberParams,
    success: { status: 204, description: 'Removed' },
    handler: async ({ services, actor, params }) => {
      await services.directory.removeGroupMember(actor, params.id, params.userId);
      return noContent();
    },
  }),
];
