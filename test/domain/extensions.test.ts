import { DAY } from '../../server/domain/clock';
import { createHarness, failure, packageWithPolicy, type Harness } from '../support/domain';

// Seeds 000 and 003: with extensions allowed, the holder is prompted 14 days and 1 day before
// the end, and may extend by the policy's duration: at once, or through its approvers.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

async function holding(settings: { extensionRequiresApproval: boolean; days?: number }) {
  const n = Math.random().toString(36).slice(2, 8);
  const approver = await h.user(`Extension Approver ${n}`);
  const holder = await h.user(`Holder ${n}`);
  const fixture = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
    expiration: { type: 'afterDays', days: settings.days ?? 30 },
    extensionAllowed: true,
    extensionRequiresApproval: settings.extensionRequiresApproval,
  });
  const { request } = await h.services.requests.submit(await h.actor(holder), {
    packageId: fixture.pkg.id,
    justification: 'web project',
  });
  await h.services.decisions.decide(await h.actor(approver), request.id, { decision: 'approve' });
  const assignment = (await h.services.assignments.listMine(await h.actor(holder)))[0];
  return { approver, holder, assignment, fixture };
}

const prompts = async (id: string) =>
  (await h.notifications()).filter((e) => e.kind === 'extensionPrompt' && e.assignmentId === id)
    .length;

test('the holder is prompted 14 days and 1 day before the end, once each', async () => {
  const { assignment } = await holding({ extensionRequiresApproval: false });
  const end = assignment.endAt!.getTime();
  h.clock.set(new Date(end - 14 * DAY - 1));
  expect(await h.services.extensions.promptDue()).not.toContain(assignment.id);
  h.clock.set(new Date(end - 14 * DAY));
  expect(await h.services.extensions.promptDue()).toContain(assignment.id);
  expect(await h.services.extensions.promptDue()).not.toContain(assignment.id);
  h.clock.set(new Date(end - DAY));
  expect(await h.services.extensions.promptDue()).toContain(assignment.id);
  expect(await h.services.extensions.promptDue()).not.toContain(assignment.id);
  expect(await prompts(assignment.id)).toBe(2);
});

test('without approval, extending adds the policy duration at once, and prompts start over', async () => {
  const { holder, assignment } = await holding({ extensionRequiresApproval: false });
  const end = assignment.endAt!.getTime();
  h.clock.set(new Date(end - DAY));
  await h.services.extensions.promptDue();
  const stranger = await failure(
    h.services.extensions.extend(await h.actor(await h.user('Not The Holder')), assignment.id),
  );
  expect(stranger.code).toBe('forbidden');
  const done = await h.services.extensions.extend(await h.actor(holder), assignment.id);
  expect(done).toEqual({ kind: 'extended', endAt: new Date(end + 30 * DAY) });
  const after = await h.services.assignments.get(h.api, assignment.id);
  expect(after).toMatchObject({ endAt: new Date(end + 30 * DAY), extensionPrompts: 0 });
  expect(await h.services.assignments.expireDue()).not.toContain(assignment.id);
});

test('with approval, extending is a request; its approval moves the end, its denial does not', async () => {
  const { approver, holder, assignment } = await holding({ extensionRequiresApproval: true });
  const end = assignment.endAt!;
  const asked = await h.services.extensions.extend(await h.actor(holder), assignment.id);
  if (asked.kind !== 'requested') throw new Error('expected a request');
  const again = await failure(h.services.extensions.extend(await h.actor(holder), assignment.id));
  expect(again.code).toBe('conflict');
  const request = await h.services.requests.get(h.api, asked.requestId);
  expect(request).toMatchObject({
    type: 'userExtend',
    state: 'pendingApproval',
    justification: 'web project',
    assignmentId: assignment.id,
  });
  const decided = await h.services.decisions.decide(await h.actor(approver), asked.requestId, {
    decision: 'approve',
  });
  expect(decided).toMatchObject({ state: 'delivered', assignmentId: assignment.id });
  expect((await h.services.assignments.get(h.api, assignment.id)).endAt).toEqual(
    new Date(end.getTime() + 30 * DAY),
  );
  // No second assignment: the extension moved the one there was.
  const [{ n }] = await h.db.dataSource.query(
    `SELECT count(*)::int AS n FROM assignments WHERE user_id = $1`,
    [holder.id],
  );
  expect(n).toBe(1);

  const second = await h.services.extensions.extend(await h.actor(holder), assignment.id, {
    justification: 'one more quarter',
  });
  if (second.kind !== 'requested') throw new Error('expected a request');
  await h.services.decisions.decide(await h.actor(approver), second.requestId, {
    decision: 'deny',
  });
  const kept = await h.services.assignments.get(h.api, assignment.id);
  expect(kept).toMatchObject({ endAt: new Date(end.getTime() + 30 * DAY), state: 'delivering' });
});

test('an extension still waiting when the access expires is canceled with it', async () => {
  const { holder, assignment } = await holding({ extensionRequiresApproval: true });
  const asked = await h.services.extensions.extend(await h.actor(holder), assignment.id);
  if (asked.kind !== 'requested') throw new Error('expected a request');
  h.clock.set(new Date(assignment.endAt!.getTime()));
  expect(await h.services.assignments.expireDue()).toContain(assignment.id);
  expect(await h.services.requests.get(h.api, asked.requestId)).toMatchObject({
    state: 'canceled',
    cancelReason: 'The access has expired.',
  });
});

test('a policy without extensions, or ending on a date, refuses with the reason', async () => {
  const holder = await h.user('Fixed Holder');
  const fixed = await packageWithPolicy(h, {
    requestorScope: 'none',
    expiration: {
      type: 'onDate',
      date: new Date(h.clock.now().getTime() + 10 * DAY),
    },
    extensionAllowed: true,
  });
  const a = await h.services.assignments.assignDirectly(h.api, {
    userId: holder.id,
    packageId: fixed.pkg.id,
    policyId: fixed.policy.id,
  });
  const onDate = await failure(h.services.extensions.extend(await h.actor(holder), a.id));
  expect(onDate.message).toMatch(/gives access only until/);
  const plain = await packageWithPolicy(h, { requestorScope: 'none' });
  const b = await h.services.assignments.assignDirectly(h.api, {
    userId: holder.id,
    packageId: plain.pkg.id,
    policyId: plain.policy.id,
  });
  const refused = await failure(h.services.extensions.extend(await h.actor(holder), b.id));
  expect(refused.message).toMatch(/does not allow extensions/);
});
