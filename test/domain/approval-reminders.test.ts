import { DAY } from '../../server/domain/clock';
import { createHarness, failure, packageWithPolicy, type Harness } from '../support/domain';

// Halfway through the approvers' window they are reminded; a day before the deadline the
// catalog's owners are asked too and may decide. Each once, on the harness clock.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

async function waiting(days: number, named = true) {
  const n = Math.random().toString(36).slice(2, 8);
  const approver = await h.user(`Reminded Approver ${n}`);
  const owner = await h.user(`Catalog Owner ${n}`);
  const requester = await h.user(`Patient Requester ${n}`);
  const fixture = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    // A requester who is the only named approver leaves the request to the fallback.
    approvers: [{ userId: (named ? approver : requester).id }],
    approvalTimeoutDays: days,
  });
  await h.services.catalogs.setRole(h.api, fixture.catalog.id, owner.id, 'catalogOwner', true);
  const { request } = await h.services.requests.submit(await h.actor(requester), {
    packageId: fixture.pkg.id,
    justification: 'quarter close',
  });
  return { approver, owner, request, submitted: h.clock.now().getTime() };
}

const at = (ms: number) => h.clock.set(new Date(ms));
const eventsFor = async (requestId: string, kind: string) =>
  (await h.notifications()).filter(
    (e) => e.kind === kind && 'requestId' in e && e.requestId === requestId,
  );

test('approvers are reminded once, halfway through their window', async () => {
  const { approver, request, submitted } = await waiting(4);
  at(submitted + 2 * DAY - 1);
  expect(await h.services.reminders.remindDue()).not.toContain(request.id);
  at(submitted + 2 * DAY);
  expect(await h.services.reminders.remindDue()).toContain(request.id);
  expect(await h.services.reminders.remindDue()).not.toContain(request.id);
  expect(await eventsFor(request.id, 'approvalReminder')).toEqual([
    { kind: 'approvalReminder', requestId: request.id, approverIds: [approver.id] },
  ]);
});

test('a day before the deadline the catalog owners are asked, and may then decide', async () => {
  const { owner, request, submitted } = await waiting(4);
  const ownerActor = await h.actor(owner);
  at(submitted + 3 * DAY - 1);
  expect(await h.services.reminders.escalateDue()).not.toContain(request.id);
  const early = await failure(
    h.services.decisions.decide(ownerActor, request.id, { decision: 'approve' }),
  );
  expect(early.message).toBe('Only the approvers named by the policy can decide this request.');
  expect((await h.services.requests.pendingFor(ownerActor)).map((r) => r.id)).not.toContain(
    request.id,
  );

  at(submitted + 3 * DAY);
  expect(await h.services.reminders.escalateDue()).toEqual([request.id]);
  expect(await h.services.reminders.escalateDue()).toEqual([]);
  const [asked] = await eventsFor(request.id, 'approvalRequested').then((e) => e.slice(1));
  expect(asked).toMatchObject({ approverIds: expect.arrayContaining([owner.id]) });
  expect((await h.services.requests.pendingFor(ownerActor)).map((r) => r.id)).toContain(request.id);
  const decided = await h.services.decisions.decide(ownerActor, request.id, {
    decision: 'approve',
  });
  expect(decided.decidedBy).toBe(owner.id);
});

test('a one-day window escalates halfway; nobody is reminded of a decided request', async () => {
  const { approver, request, submitted } = await waiting(1);
  at(submitted + DAY / 2);
  expect(await h.services.reminders.escalateDue()).toContain(request.id);
  await h.services.decisions.decide(await h.actor(approver), request.id, { decision: 'deny' });
  expect(await h.services.reminders.remindDue()).not.toContain(request.id);
});

test('a request with no named approver is reminded but not escalated: its owners have it', async () => {
  const { owner, request, submitted } = await waiting(4, false);
  at(submitted + 3 * DAY);
  expect(await h.services.reminders.escalateDue()).not.toContain(request.id);
  expect(await h.services.reminders.remindDue()).toContain(request.id);
  const [reminder] = await eventsFor(request.id, 'approvalReminder');
  expect(reminder).toMatchObject({ approverIds: expect.arrayContaining([owner.id]) });
});
