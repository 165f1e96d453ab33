import { connectorsFor } from '../../server/connectors';
import type { WithLock } from '../../server/connectors/lock';
import { createServices } from '../../server/domain/services';
import { createHarness, policy, type Harness } from '../support/domain';
import { FakeGraph } from '../support/graph/fake-graph';
import { trusting } from '../support/graph/tls';

// The Graph connector as configuration wires it, driven by the real fulfillment worker.

let h: Harness;
let graph: FakeGraph;
let agent: ReturnType<typeof trusting>;
beforeAll(async () => {
  h = await createHarness();
  graph = await FakeGraph.start();
  agent = trusting(graph.ca);
});
afterAll(async () => {
  await h.close();
  await graph.stop();
  await agent.close();
});

// No Slack user groups here: nothing to serialise.
const noLock: WithLock = (_key, fn) => fn();

/** A fulfillment worker whose connectors come from a configuration with the fake's app. */
const worker = () =>
  createServices({
    ...h.services.ctx,
    provisioner: connectorsFor(
      {
        graphApp: {
          tenantId: graph.tenantId,
          clientId: graph.clientId,
          clientSecret: graph.clientSecret,
        },
        graphApiUrl: graph.apiUrl,
        graphAuthorityUrl: graph.origin,
      },
      { withLock: noLock, dispatcher: agent },
    ),
  }).fulfillment;

/** An assignment of `userName` to a package holding these roles of a new group. */
async function assignedTo(userName: string, roles: string[]) {
  const groupId = graph.addGroup();
  const catalog = await h.services.catalogs.create(h.api, {
    name: `Catalog of ${userName}`,
    description: '',
    enabled: true,
  });
  const group = await h.services.resources.add(h.api, catalog.id, {
    type: 'm365Group',
    originId: groupId,
    displayName: 'Engineering web project',
    description: '',
    attributes: {},
  });
  const pkg = await h.services.packages.create(h.api, {
    catalogId: catalog.id,
    name: `Package of ${userName}`,
    description: '',
    hidden: false,
  });
  for (const role of group.roles.filter((r) => roles.includes(r.name))) {
    await h.services.packages.addResourceRole(h.api, pkg.id, role.id);
  }
  const pol = await h.services.policies.create(h.api, pkg.id, policy({ requestorScope: 'none' }));
  const user = await h.user(userName);
  const assignment = await h.services.assignments.assignDirectly(h.api, {
    userId: user.id,
    packageId: pkg.id,
    policyId: pol.id,
  });
  return { groupId, user, assignment };
}

const stateOf = async (assignmentId: string) =>
  (await h.services.assignments.get(h.api, assignmentId)).state;

test('an assignment is delivered into the group, and its removal takes it back', async () => {
  const { groupId, user, assignment } = await assignedTo('Graph Lead', ['member', 'owner']);
  const account = graph.addUser(user.email);
  expect(await worker().runUntilIdle()).toBe(2);
  expect(await stateOf(assignment.id)).toBe('delivered');
  expect(graph.list(groupId, 'members')).toEqual([account.id]);
  expect(graph.list(groupId, 'owners')).toEqual([account.id]);

  await h.services.assignments.remove(h.api, assignment.id, 'project ended');
  expect(await worker().runUntilIdle()).toBe(2);
  expect(graph.list(groupId, 'members')).toEqual([]);
  expect(graph.list(groupId, 'owners')).toEqual([]);
  const rows = await h.services.assignments.fulfillments(h.api, assignment.id);
  expect(rows.map((r) => [r.action, r.state, r.lastError])).toEqual([
    ['revoke', 'delivered', null],
    ['revoke', 'delivered', null],
  ]);
});

test('a grant Graph cannot make is recorded on its role with the reason', async () => {
  const { user, assignment } = await assignedTo('No Account', ['member']);
  await worker().runUntilIdle();
  expect(await stateOf(assignment.id)).toBe('deliveryFailed');
  const [row] = await h.services.assignments.fulfillments(h.api, assignment.id);
  expect(row).toMatchObject({
    state: 'failed',
    lastError: `There is no Microsoft 365 account with the email ${user.email}.`,
  });
});

test('without the Graph app configured, a group role fails saying no connector is set up', async () => {
  const provisioner = connectorsFor(
    { graphApiUrl: graph.apiUrl, graphAuthorityUrl: graph.origin },
    { withLock: noLock },
  );
  const before = graph.calls.length;
  await expect(
    provisioner.grant({
      user: { id: 'u-1', email: 'someone@woodgrove.example' },
      resource: { id: 'r-1', type: 'm365Group', originId: graph.addGroup(), attributes: {} },
      role: { id: 'role-1', name: 'member' },
      actionId: 'f-1.0',
    }),
  ).rejects.toThrow('No provisioning connector is configured for m365Group resources.');
  expect(graph.calls.length).toBe(before);
});
