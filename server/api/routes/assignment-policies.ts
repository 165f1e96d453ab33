import { z } from 'zod';
import { policyInputSchema, policyPatchSchema } from '../../domain/policy-settings';
import { policyDto, policyListJson, policyJson } from '../dto/policy';
import { idParam } from '../params';
import { created, list, noContent, ok, route } from '../route';

const tag = 'Assignment policies';

export const assignmentPolicyRoutes = [
  route({
    method: 'get',
    path: '/assignmentPolicies',
    summary: "List an access package's policies",
    tag,
    query: z.object({ accessPackageId: z.uuid() }).strict(),
    success: { status: 200, description: 'The policies, oldest first' },
    response: policyListJson,
    handler: async ({ services, query }) => {
      await services.packages.get(query.accessPackageId);
      return list((await services.policies.listForPackage(query.accessPackageId)).map(policyDto));
    },
  }),
  route({
    method: 'post',
    path: '/assignmentPolicies',
    summary: 'Add a policy to an access package',
    tag,
    // extend() keeps the cross-field rules of the policy settings.
    body: policyInputSchema.extend({ accessPackageId: z.uuid() }),
    success: { status: 201, description: 'The new policy' },
    response: policyJson,
    handler: async ({ services, actor, body }) => {
      const { accessPackageId, ...settings } = body;
      const policy = await services.policies.create(actor, accessPackageId, settings);
      return created(`/assignmentPolicies/${policy.id}`, policyDto(policy));
    },
  }),
  route({
    method: 'get',
    path: '/assignmentPolicies/{id}',
    summary: 'Get a policy',
    tag,
    params: idParam,
    success: { status: 200, description: 'The policy' },
    response: policyJson,
    handler: async ({ services, params }) => ok(policyDto(await services.policies.get(params.id))),
  }),
  route({
    method: 'patch',
    path: '/assignmentPolicies/{id}',
    summary: 'Change a policy; only new requests are affected',
    tag,
    params: idParam,
    // Cross-field rules are checked by the domain on the merged settings.
    body: policyPatchSchema,
    success: { status: 200, description: 'The updated policy' },
    response: policyJson,
    handler: async ({ services, actor, params, body }) =>
      ok(policyDto(await services.policies.update(actor, params.id, body))),
  }),
  route({
    method: 'delete',
    path: '/assignmentPolicies/{id}',
    summary: 'Delete a policy; requests and assignments made under it keep their settings',
    tag,
    params: idParam,
    success: { status: 204, description: 'Deleted' },
    handler: async ({ services, actor, params }) => {
      await services.policies.delete(actor, params.id);
      return noContent();
    },
  }),
];
