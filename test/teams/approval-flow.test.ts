import { packageWithPolicy, ADMIN_EMAIL } from '../support/domain';
import { conversationOf, createTeamsHarness, type TeamsHarness } from '../support/teams/harness';

// Seed 002's tutorial in Teams, through the real CloudAdapter: a user browses and requests,
// both approvers get the card, the first decision wins, every card shows it, the requester is told.

let t: TeamsHarness;
beforeAll(async () => {
  t = await createTeamsHarness();
});
afterAll(() => t.close());

const text = (card: Record<string, unknown>) => JSON.stringify(card);

test('request, approve from the card, and every approver card and the requester follow', async () => {
  const requester = t.member('User One', 'user1@woodgrove.example');
  const admin = t.member('Admin One', ADMIN_EMAIL);
  const second = t.member('Second Approver', 'approver2@woodgrove.example');
  // Approvers are known to Accessbot once they have said something to it.
  await t.install(admin);
  await t.install(second);
  const adminUser = (await t.services.directory.findUserByEmail(ADMIN_EMAIL))!;
  const secondUser = (await t.services.directory.findUserByEmail('approver2@woodgrove.example'))!;
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: adminUser.id }, { userId: secondUser.id }],
  });

  const [list] = await t.say(requester, 'packages');
  expect(text(list)).toContain(pkg.name);

  const form = await t.click(requester, 'requestOpen', { packageId: pkg.id });
  expect(text(form)).toContain(`Request ${pkg.name}`);
  const missing = await t.click(requester, 'requestSubmit', {
    packageId: pkg.id,
    justification: '',
  });
  expect(text(missing)).toContain('justification');
  const receipt = await t.click(requester, 'requestSubmit', {
    packageId: pkg.id,
    justification: 'Working on web project',
  });
  expect(text(receipt)).toMatch(/Request #\d+/);
  expect(text(receipt)).toContain('Waiting for approval');

  await t.deliver();
  const [adminCard] = t.cardsIn(conversationOf(admin)).filter((c) => text(c).includes('asks for'));
  const [secondCard] = t
    .cardsIn(conversationOf(second))
    .filter((c) => text(c).includes('asks for'));
  expect(text(adminCard)).toContain('Working on web project');
  expect(text(secondCard)).toContain('User One asks for');

  const requestId = (adminCard.actions as Array<{ data: { requestId: string } }>)[0].data.requestId;
  const [posted] = await t.db.dataSource.query(
    `SELECT message_id FROM chat_messages WHERE conversation_id = $1 AND subject_id = $2`,
    [conversationOf(admin), requestId],
  );
  const decided = await t.click(
    admin,
    'approve',
    { requestId, reason: 'Approved for web project' },
    posted.message_id,
  );
  expect(text(decided)).toContain('Approved');
  expect(text(decided)).toContain('Admin One');

  // The second approver's click comes too late: their card shows who decided.
  const late = await t.click(second, 'approve', { requestId });
  expect(text(late)).toContain('Decided by');
  expect(text(late)).toContain('Admin One');

  await t.deliver();
  const secondUpdates = t.connector.sends(conversationOf(second)).filter((c) => c.method === 'PUT');
  expect(secondUpdates).toHaveLength(1);
  expect(JSON.stringify(secondUpdates[0].body)).toContain('Admin One');
  // The clicker's card was replaced in the click's response: the outbox sends it no update.
  expect(t.connector.sends(conversationOf(admin)).filter((c) => c.method === 'PUT')).toEqual([]);
  const told = t.cardsIn(conversationOf(requester)).map(text);
  expect(told.some((c) => c.includes('Approved') && c.includes('Admin One'))).toBe(true);

  const [row] = await t.db.dataSource.query(
    `SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action IN ('request.approved', 'request.denied')`,
    [requestId],
  );
  expect(row.n).toBe(1);
});
