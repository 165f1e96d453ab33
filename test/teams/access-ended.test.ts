import { DAY } from '../../server/domain/clock';
import { packageWithPolicy } from '../support/domain';
import { conversationOf, createTeamsHarness, type TeamsHarness } from '../support/teams/harness';

// When access ends, by expiry or by an admin, its holder is told in chat.

let t: TeamsHarness;
beforeAll(async () => {
  t = await createTeamsHarness();
});
afterAll(() => t.close());

const text = (card: unknown) => JSON.stringify(card);

test('the holder hears that their access expired, and that other access was removed and why', async () => {
  const holder = t.member('Access Holder');
  await t.install(holder);
  const user = (await t.services.directory.findUserByEmail(holder.email))!;
  const expiring = await packageWithPolicy(t, {
    requestorScope: 'none',
    expiration: { type: 'afterDays', days: 1 },
  });
  const removed = await packageWithPolicy(t, { requestorScope: 'none' });
  for (const p of [expiring, removed]) {
    await t.services.assignments.assignDirectly(t.api, {
      userId: user.id,
      packageId: p.pkg.id,
      policyId: p.policy.id,
    });
  }
  const [toRemove] = await t.db.dataSource.query(
    `SELECT id FROM assignments WHERE package_id = $1`,
    [removed.pkg.id],
  );
  await t.services.assignments.remove(t.api, toRemove.id, 'Left the project');
  t.clock.advance(2 * DAY);
  await t.services.assignments.expireDue();
  await t.deliver();

  const told = t.cardsIn(conversationOf(holder)).map(text);
  expect(told.filter((c) => c.includes('has ended'))).toHaveLength(2);
  expect(told).toContainEqual(
    expect.stringContaining(`Your access to ${expiring.pkg.name} has ended`),
  );
  const removal = told.find((c) => c.includes(`Your access to ${removed.pkg.name} has ended`))!;
  expect(removal).toContain('Left the project');
});
