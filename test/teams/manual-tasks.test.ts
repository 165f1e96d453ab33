import { ConnectorRouter } from '../../server/connectors';
import { createServices } from '../../server/domain/services';
import { packageWithPolicy } from '../support/domain';
import { conversationOf, createTeamsHarness, type TeamsHarness } from '../support/teams/harness';

// A resource provisioned by hand: the catalog owner gets a task card in Teams, says Done from
// it, and the assignment is delivered; every copy of the card follows.

let t: TeamsHarness;
beforeAll(async () => {
  t = await createTeamsHarness();
});
afterAll(() => t.close());

const text = (card: unknown) => JSON.stringify(card);

test('the owner settles a manual grant from the task card', async () => {
  const owner = t.member('Olga Owner');
  await t.install(owner);
  const ownerUser = (await t.services.directory.findUserByEmail(owner.email))!;
  const fixture = await packageWithPolicy(t, { requestorScope: 'none' });
  await t.services.catalogs.setRole(t.api, fixture.catalog.id, ownerUser.id, 'catalogOwner', true);
  const ledger = await t.services.resources.add(t.api, fixture.catalog.id, {
    type: 'appRole',
    originId: 'ledger',
    displayName: 'Ledger',
    description: '',
    attributes: { connector: 'manual' },
    roles: [{ name: 'clerk', description: '' }],
  });
  await t.services.packages.removeResourceRole(t.api, fixture.pkg.id, fixture.resource.roles[0].id);
  await t.services.packages.addResourceRole(t.api, fixture.pkg.id, ledger.roles[0].id);
  const user = await t.user('Task Assignee');
  const assignment = await t.services.assignments.assignDirectly(t.api, {
    userId: user.id,
    packageId: fixture.pkg.id,
    policyId: fixture.policy.id,
  });
  const worker = createServices({ ...t.services.ctx, provisioner: new ConnectorRouter({}) });
  await worker.fulfillment.runUntilIdle();
  await t.deliver();

  const chat = conversationOf(owner);
  const [card] = t.cardsIn(chat).filter((c) => text(c).includes('Access to set up by hand'));
  expect(text(card)).toContain(
    'Give Task Assignee (task.assignee@woodgrove.example) the clerk role on Ledger.',
  );
  const done = (card.actions as Array<{ verb: string; data: Record<string, unknown> }>).find(
    (a) => a.verb === 'taskDone',
  )!;

  const refused = await t.click(owner, 'taskFailed', { ...done.data, reason: '' });
  expect(text(refused)).toContain('Say what went wrong');
  const reply = await t.click(owner, 'taskDone', done.data);
  expect(text(reply)).toContain('Done: access set up');
  expect(text(reply)).toContain('Olga Owner');
  expect((await t.services.assignments.get(t.api, assignment.id)).state).toBe('delivered');

  const again = await t.click(owner, 'taskDone', done.data);
  expect(text(again)).toContain('Done: access set up');
  await t.deliver();
  const updates = t.connector.sends(chat).filter((c) => c.method === 'PUT');
  expect(updates).toHaveLength(1);
  expect(text(updates[0].body)).toContain('Done: access set up');
});
