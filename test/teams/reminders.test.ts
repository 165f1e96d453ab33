import { DAY } from '../../server/domain/clock';
import { packageWithPolicy } from '../support/domain';
import { conversationOf, createTeamsHarness, type TeamsHarness } from '../support/teams/harness';

// A reminder is a second approval card in the approver's chat, and like the first it follows
// the request: once someone decides, both show the outcome.

let t: TeamsHarness;
beforeAll(async () => {
  t = await createTeamsHarness();
});
afterAll(() => t.close());

const text = (card: unknown) => JSON.stringify(card);

test('halfway through the window the approver gets a reminder card, kept current like the first', async () => {
  const approver = t.member('Reminded Approver');
  await t.install(approver);
  const approverUser = (await t.services.directory.findUserByEmail(approver.email))!;
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approverUser.id }],
    approvalTimeoutDays: 4,
  });
  const requester = await t.user('Reminder Requester');
  const { request } = await t.services.requests.submit(await t.actor(requester), {
    packageId: pkg.id,
    justification: 'audit season',
  });
  await t.deliver();
  const chat = conversationOf(approver);
  expect(t.cardsIn(chat).filter((c) => text(c).includes('asks for'))).toHaveLength(1);

  t.clock.advance(2 * DAY);
  expect(await t.services.reminders.remindDue()).toEqual([request.id]);
  await t.deliver();
  const reminders = t.cardsIn(chat).filter((c) => text(c).includes('Reminder: '));
  expect(reminders).toHaveLength(1);
  expect(text(reminders[0])).toContain('Canceled unless decided by');
  expect(text(reminders[0])).toContain('"verb":"approve"');

  const decided = await t.click(approver, 'approve', { requestId: request.id });
  expect(text(decided)).toContain('Approved');
  await t.deliver();
  // Both posted cards are refreshed to the outcome (the click had no message id to replace).
  const updates = t.connector.sends(chat).filter((c) => c.method === 'PUT');
  expect(updates).toHaveLength(2);
  for (const u of updates) expect(text(u.body)).toContain('Reminded Approver');
});
