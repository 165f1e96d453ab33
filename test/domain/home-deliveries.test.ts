import type { User } from '../../db/entities';
import { createHarness, pendingRequest, type Harness } from '../support/domain';

// The outbox's side of the Slack App Home: a change republishes the Home of each Slack user it
// concerns (requester, approvers, holder), one waiting publish per person however many
// changes pile up, never two in flight for one person, and nothing for people not on Slack.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

let seq = 0;
async function onPlatform(platform: 'slack' | 'teams', name: string): Promise<User> {
  seq += 1;
  return h.services.directory.resolvePlatformUser({
    platform,
    tenantId: platform === 'slack' ? 'T1' : 'tenant-1',
    platformUserId: `${platform}-${seq}`,
    email: `${name.toLowerCase().replace(/\W+/g, '.')}.${seq}@woodgrove.example`,
    displayName: name,
  });
}

const publishesFor = (userId: string) =>
  h.db.dataSource.query(
    `SELECT d.state, d.lease_until IS NOT NULL AS leased FROM chat_deliveries d
      WHERE d.action = 'publish' AND d.subject_id = $1 ORDER BY d.id`,
    [userId],
  );

async function submitted(requester: User, approvers: User[]) {
  return (await pendingRequest(h, requester, approvers)).request;
}

const claimPublishes = async () =>
  (await h.services.deliveries.claim(1000, 60_000)).filter((d) => d.action === 'publish');

test('a burst of changes for one person waits as one publish of their Home', async () => {
  const requester = await onPlatform('slack', 'Burst Requester');
  const approver = await onPlatform('slack', 'Burst Approver');
  const request = await submitted(requester, [approver]);
  await h.services.decisions.decide(await h.actor(approver), request.id, { decision: 'approve' });
  await h.fulfil();
  await h.services.deliveries.expandEvents();

  // Asked, decided, assigned, provisioned: one Home each.
  expect(await publishesFor(requester.id)).toEqual([{ state: 'pending', leased: false }]);
  expect(await publishesFor(approver.id)).toEqual([{ state: 'pending', leased: false }]);
  const claimed = (await claimPublishes()).filter((d) =>
    [requester.id, approver.id].includes(d.subjectId),
  );
  expect(claimed.map((d) => [d.card, d.subjectType, d.platform])).toEqual([
    ['home', 'user', 'slack'],
    ['home', 'user', 'slack'],
  ]);
  for (const d of claimed) await h.services.deliveries.published(d);
  expect(await publishesFor(requester.id)).toEqual([{ state: 'done', leased: false }]);
});

test('people not on Slack get no Home publish', async () => {
  const requester = await onPlatform('teams', 'Teams Requester');
  const approver = await onPlatform('slack', 'Slack Approver');
  await submitted(requester, [approver]);
  await h.services.deliveries.expandEvents();
  expect(await publishesFor(requester.id)).toEqual([]);
  expect(await publishesFor(approver.id)).toHaveLength(1);
});

test('a change while a Home is on its way waits behind it; a retry yields to the newer one', async () => {
  const requester = await onPlatform('slack', 'Flight Requester');
  const approver = await onPlatform('slack', 'Flight Approver');
  const request = await submitted(requester, [approver]);
  await h.services.deliveries.expandEvents();
  const [inFlight] = (await claimPublishes()).filter((d) => d.subjectId === requester.id);

  await h.services.requests.cancel(await h.actor(requester), request.id);
  await h.services.deliveries.expandEvents();
  expect(await publishesFor(requester.id)).toEqual([
    { state: 'pending', leased: true },
    { state: 'pending', leased: false },
  ]);
  // Not claimed while the first is in flight: two renders of a Home never race.
  expect((await claimPublishes()).filter((d) => d.subjectId === requester.id)).toEqual([]);

  // The first fails and would be retried, but the newer one shows the same Home, later.
  await h.services.deliveries.retryLater(inFlight, 'Slack rate limit', 1000);
  expect(await publishesFor(requester.id)).toEqual([
    { state: 'done', leased: false },
    { state: 'pending', leased: false },
  ]);
  const [next] = (await claimPublishes()).filter((d) => d.subjectId === requester.id);
  expect(next.action).toBe('publish');
});
