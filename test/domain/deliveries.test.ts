import type { User } from '../../db/entities';
import type { ClaimedDelivery } from '../../server/domain/deliveries';
import {
  createHarness,
  failure,
  pendingRequest,
  withSeparateConnections,
  type Harness,
} from '../support/domain';

// The outbox's database side: what a change must tell commits with it; each send is claimed
// by one dispatcher; a posted card is refreshed whenever its request moves on.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

let seq = 0;
/** A user known on Teams, as the chat adapter registers them on first contact. */
async function teamsUser(name: string): Promise<User> {
  seq += 1;
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${seq}@woodgrove.example`;
  return h.services.directory.resolvePlatformUser({
    platform: 'teams',
    tenantId: 'tenant-1',
    platformUserId: `aad-${seq}`,
    email,
    displayName: name,
    conversationReference: { conversation: { id: `personal-${seq}` }, serviceUrl: 'http://x' },
  });
}

async function pending(approvers: User[]) {
  const requester = await teamsUser('Requester');
  const { request } = await pendingRequest(h, requester, approvers);
  return { requester, request };
}

const deliveriesOf = (requestId: string) =>
  h.db.dataSource.query(
    `SELECT action, card, state, identity_id IS NOT NULL AS to_person
       FROM chat_deliveries WHERE subject_id = $1 ORDER BY id`,
    [requestId],
  );

/** Everything due, claimed and posted as if sent, so that later changes find the cards. */
async function postAll(version = 1): Promise<ClaimedDelivery[]> {
  await h.services.deliveries.expandEvents();
  const claimed = await h.services.deliveries.claim(1000, 60_000);
  for (const d of claimed) {
    await h.services.deliveries.posted(d, {
      conversationId: `conv-${d.identityId}`,
      messageId: `msg-${d.id}`,
      version,
    });
  }
  return claimed;
}

test('a refused decision writes no event; an approval writes one with the change', async () => {
  const approver = await teamsUser('Approver');
  const { requester, request } = await pending([approver]);
  const before = (await h.notifications()).length;
  await failure(
    h.services.decisions.decide(await h.actor(requester), request.id, { decision: 'approve' }),
  );
  expect(await h.notifications()).toHaveLength(before);
  await h.services.decisions.decide(await h.actor(approver), request.id, { decision: 'approve' });
  expect((await h.notifications()).slice(before)).toEqual([
    { kind: 'requestDecided', requestId: request.id },
  ]);
  // Provisioning then moves the new assignment on, which is news of its own.
  await h.fulfil();
  expect((await h.notifications()).slice(before)).toEqual([
    { kind: 'requestDecided', requestId: request.id },
    { kind: 'assignmentChanged', assignmentId: expect.any(String) },
  ]);
});

test('an approval request becomes one post per approver identity, expanded once', async () => {
  const [a, b] = [await teamsUser('Approver A'), await teamsUser('Approver B')];
  const { request } = await pending([a, b]);
  await h.services.deliveries.expandEvents();
  await h.services.deliveries.expandEvents();
  expect(await deliveriesOf(request.id)).toEqual([
    { action: 'post', card: 'approval', state: 'pending', to_person: true },
    { action: 'post', card: 'approval', state: 'pending', to_person: true },
  ]);
});

test('concurrent dispatchers expand and claim disjointly', async () => {
  const approvers = [];
  for (let i = 0; i < 4; i++) approvers.push(await teamsUser(`Parallel ${i}`));
  for (let i = 0; i < 10; i++) await pending(approvers);
  const claims = await withSeparateConnections(h, 6, async (services) => {
    await Promise.all([1, 2, 3].map(() => services.deliveries.expandEvents()));
    return Promise.all([1, 2, 3].map(() => services.deliveries.claim(15, 60_000)));
  });
  const ids = claims.flat().map((d) => d.id);
  expect(new Set(ids).size).toBe(ids.length);
  const [{ posts }] = await h.db.dataSource.query(
    `SELECT count(*)::int AS posts FROM chat_deliveries
      WHERE card = 'approval' AND identity_id = ANY($1)`,
    [await identityIds(approvers)],
  );
  expect(posts).toBe(40);
});

async function identityIds(users: User[]): Promise<string[]> {
  const found: Array<{ id: string }> = await h.db.dataSource.query(
    `SELECT id FROM user_identities WHERE user_id = ANY($1)`,
    [users.map((u) => u.id)],
  );
  return found.map((r) => r.id);
}

test('a dispatcher that dies holding a send loses nothing: the lease runs out', async () => {
  const approver = await teamsUser('Crash Approver');
  const { request } = await pending([approver]);
  await h.services.deliveries.expandEvents();
  const [claimed] = (await h.services.deliveries.claim(1000, 60_000)).filter(
    (d) => d.subjectId === request.id,
  );
  expect(claimed).toBeDefined();
  // Nobody else gets it while the lease holds...
  expect((await h.services.deliveries.claim(1000, 60_000)).map((d) => d.subjectId)).not.toContain(
    request.id,
  );
  // ...and once it has run out, the next dispatcher does, as another attempt.
  h.clock.advance(61_000);
  const [again] = (await h.services.deliveries.claim(1000, 60_000)).filter(
    (d) => d.subjectId === request.id,
  );
  expect(again).toMatchObject({ id: claimed.id, attempts: 2 });
});

test('every posted card is refreshed when its request is decided; the requester is told', async () => {
  const [a, b] = [await teamsUser('Card A'), await teamsUser('Card B')];
  const { request } = await pending([a, b]);
  await postAll();
  await h.services.decisions.decide(await h.actor(a), request.id, { decision: 'deny' });
  await h.services.deliveries.expandEvents();
  expect(
    (await deliveriesOf(request.id)).filter((d: { state: string }) => d.state === 'pending'),
  ).toEqual([
    { action: 'update', card: 'approval', state: 'pending', to_person: false },
    { action: 'update', card: 'approval', state: 'pending', to_person: false },
    { action: 'post', card: 'outcome', state: 'pending', to_person: true },
  ]);
});

test('changes while a refresh waits fold into it; a card never goes back a version', async () => {
  const approver = await teamsUser('Fold Approver');
  const { requester, request } = await pending([approver]);
  await postAll();
  await h.services.requests.cancel(await h.actor(requester), request.id, 'changed my mind');
  await h.db.dataSource.query(
    `INSERT INTO outbox_events (kind, subject_id) VALUES ('requestDecided', $1)`,
    [request.id],
  );
  await h.services.deliveries.expandEvents();
  const waiting = (await deliveriesOf(request.id)).filter(
    (d: { action: string; state: string }) => d.action === 'update' && d.state === 'pending',
  );
  expect(waiting).toHaveLength(1);

  const [update] = (await h.services.deliveries.claim(1000, 60_000)).filter(
    (d) => d.subjectId === request.id && d.action === 'update',
  );
  await h.services.deliveries.updated(update, 5);
  // A slower render of an older state arrives late: the stored version stays.
  await h.services.deliveries.updated(update, 3);
  const [message] = await h.db.dataSource.query(`SELECT version FROM chat_messages WHERE id = $1`, [
    update.chatMessageId,
  ]);
  expect(Number(message.version)).toBe(5);
});

test('a card posted while its request changed is queued for a refresh at once', async () => {
  const approver = await teamsUser('Race Approver');
  const { request } = await pending([approver]);
  await h.services.deliveries.expandEvents();
  const [post] = (await h.services.deliveries.claim(1000, 60_000)).filter(
    (d) => d.subjectId === request.id,
  );
  // Rendered at version 1; the approval lands before the post is recorded.
  await h.services.decisions.decide(await h.actor(approver), request.id, { decision: 'approve' });
  await h.services.deliveries.posted(post, { conversationId: 'c', messageId: 'late', version: 1 });
  const refresh = (await deliveriesOf(request.id)).filter(
    (d: { action: string }) => d.action === 'update',
  );
  expect(refresh).toEqual([
    { action: 'update', card: 'approval', state: 'pending', to_person: false },
  ]);
});
