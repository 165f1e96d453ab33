import { DAY, HOUR } from '../../server/domain/clock';
import { createHarness, failure, packageWithPolicy, type Harness } from '../support/domain';

// Every path that computes an assignment's end meets a date that passed while it waited: the
// answer is a refusal naming the date, never a CHECK violation surfacing as a 500.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

async function setup(settings: Parameters<typeof packageWithPolicy>[1]) {
  const approver = await h.user(`Approver ${Math.random().toString(36).slice(2, 7)}`);
  const requester = await h.user(`Requester ${Math.random().toString(36).slice(2, 7)}`);
  const fixture = await packageWithPolicy(h, { approvers: [{ userId: approver.id }], ...settings });
  return { approver, requester, ...fixture };
}

async function assignmentRows(packageId: string): Promise<number> {
  const [{ n }] = await h.db.dataSource.query(
    `SELECT count(*)::int AS n FROM assignments WHERE package_id = $1`,
    [packageId],
  );
  return n;
}

test('approving after the requested end has passed cancels the request and says why', async () => {
  const { approver, requester, pkg } = await setup({
    requestorScope: 'allMembers',
    allowCustomSchedule: true,
  });
  const end = new Date(h.clock.now().getTime() + 2 * DAY);
  const { request } = await h.services.requests.submit(await h.actor(requester), {
    packageId: pkg.id,
    justification: 'two days of on-call',
    end,
  });
  h.clock.advance(3 * DAY);
  const refused = await failure(
    h.services.decisions.decide(await h.actor(approver), request.id, { decision: 'approve' }),
  );
  expect(refused.code).toBe('conflict');
  expect(refused.message).toBe(
    `Request #${request.number} can't be approved and has been canceled: the access it asked for ended on ${end.toISOString()}.`,
  );
  expect(refused.details).toEqual({ requestState: 'canceled' });
  const after = await h.services.requests.get(h.api, request.id);
  expect(after.state).toBe('canceled');
  expect(after.cancelReason).toBe(refused.message);
  expect(await assignmentRows(pkg.id)).toBe(0);
  const [event] = await h.db.dataSource.query(
    `SELECT action, actor_id, channel FROM audit_events WHERE subject_id = $1 ORDER BY id DESC LIMIT 1`,
    [request.id],
  );
  expect(event).toEqual({ action: 'request.lapsed', actor_id: approver.id, channel: 'teams' });
  // The requester may ask again at once: the lapsed request no longer blocks a new one.
  await h.services.requests.submit(await h.actor(requester), {
    packageId: pkg.id,
    justification: 'again',
  });
});

test("approving after the policy's on-date expiry has passed cancels the request", async () => {
  const until = new Date(h.clock.now().getTime() + 5 * DAY);
  const { approver, requester, pkg, policy } = await setup({
    requestorScope: 'allMembers',
    expiration: { type: 'onDate', date: until },
  });
  const { request } = await h.services.requests.submit(await h.actor(requester), {
    packageId: pkg.id,
    justification: 'for the launch',
  });
  h.clock.advance(6 * DAY);
  const refused = await failure(
    h.services.decisions.decide(await h.actor(approver), request.id, { decision: 'approve' }),
  );
  expect(refused.code).toBe('conflict');
  expect(refused.message).toContain(`policy "${policy.name}" gives access only until`);
  expect(refused.message).toContain(until.toISOString());
  expect((await h.services.requests.get(h.api, request.id)).state).toBe('canceled');
  expect(await assignmentRows(pkg.id)).toBe(0);
});

test('a deny is still recorded after the requested end has passed', async () => {
  const { approver, requester, pkg } = await setup({
    requestorScope: 'allMembers',
    allowCustomSchedule: true,
  });
  const { request } = await h.services.requests.submit(await h.actor(requester), {
    packageId: pkg.id,
    justification: 'x',
    end: new Date(h.clock.now().getTime() + HOUR),
  });
  h.clock.advance(2 * HOUR);
  const decided = await h.services.decisions.decide(await h.actor(approver), request.id, {
    decision: 'deny',
  });
  expect(decided.state).toBe('denied');
});

test('submitting under a policy whose end date has passed is refused, naming the date', async () => {
  const until = new Date(h.clock.now().getTime() + DAY);
  const { requester, pkg } = await setup({
    requestorScope: 'allMembers',
    expiration: { type: 'onDate', date: until },
  });
  h.clock.advance(2 * DAY);
  const refused = await failure(
    h.services.requests.submit(await h.actor(requester), {
      packageId: pkg.id,
      justification: 'x',
    }),
  );
  expect(refused.code).toBe('invalid');
  expect(refused.message).toContain(until.toISOString());
  const [{ n }] = await h.db.dataSource.query(
    `SELECT count(*)::int AS n FROM access_requests WHERE package_id = $1`,
    [pkg.id],
  );
  expect(n).toBe(0);
});

test('a direct assignment under a policy whose end date has passed is refused on `end`', async () => {
  const until = new Date(h.clock.now().getTime() + DAY);
  const { requester, pkg, policy } = await setup({
    requestorScope: 'none',
    approvers: [],
    approvalRequired: false,
    expiration: { type: 'onDate', date: until },
  });
  h.clock.advance(2 * DAY);
  const refused = await failure(
    h.services.assignments.assignDirectly(h.api, {
      userId: requester.id,
      packageId: pkg.id,
      policyId: policy.id,
    }),
  );
  expect(refused.code).toBe('invalid');
  expect(refused.details.field).toBe('end');
  expect(refused.message).toContain(until.toISOString());
  expect(await assignmentRows(pkg.id)).toBe(0);

  // An explicit end makes it valid again: the admin chose the period.
  const end = new Date(h.clock.now().getTime() + 7 * DAY);
  const assignment = await h.services.assignments.assignDirectly(h.api, {
    userId: requester.id,
    packageId: pkg.id,
    policyId: policy.id,
    end,
  });
  expect(assignment.endAt).toEqual(end);
});

test('a direct assignment whose end is not after its start is refused on `end`', async () => {
  const { requester, pkg, policy } = await setup({
    requestorScope: 'none',
    approvers: [],
    approvalRequired: false,
  });
  const refused = await failure(
    h.services.assignments.assignDirectly(h.api, {
      userId: requester.id,
      packageId: pkg.id,
      policyId: policy.id,
      start: new Date(h.clock.now().getTime() + 2 * DAY),
      end: new Date(h.clock.now().getTime() + DAY),
    }),
  );
  expect(refused.details.field).toBe('end');
});

test('a scheduled assignment whose end passed before it started expires without granting', async () => {
  const { requester, pkg, policy } = await setup({
    requestorScope: 'none',
    approvers: [],
    approvalRequired: false,
  });
  const start = new Date(h.clock.now().getTime() + DAY);
  const assignment = await h.services.assignments.assignDirectly(h.api, {
    userId: requester.id,
    packageId: pkg.id,
    policyId: policy.id,
    start,
    end: new Date(start.getTime() + HOUR),
  });
  expect(assignment.state).toBe('scheduled');
  // The scheduler was down through the whole period.
  h.clock.advance(2 * DAY);
  const grantsBefore = h.provisioner.calls.length;
  expect(await h.services.assignments.startDue()).not.toContain(assignment.id);
  expect(await h.services.assignments.expireDue()).toContain(assignment.id);
  const [row] = await h.db.dataSource.query(`SELECT state FROM assignments WHERE id = $1`, [
    assignment.id,
  ]);
  expect(row.state).toBe('expired');
  expect(h.provisioner.calls.slice(grantsBefore).filter((c) => c.action === 'grant')).toEqual([]);
});
