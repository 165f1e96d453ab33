import {
  createApiHarness,
  requestablePackage,
  type ApiHarness,
  submitRequest,
} from './api-harness';

// The API token acting for a user is recorded as exactly that: the user whose rights were
// checked, and the token that made the call. Nothing pretends the user was there.

let api: ApiHarness;
beforeAll(async () => {
  api = await createApiHarness();
});
afterAll(() => api.close());

async function trail(type: 'request' | 'assignment', id: string) {
  const res = await api.get(`/auditEvents?subjectType=${type}&subjectId=${id}`).expect(200);
  return (res.body.value as Array<Record<string, unknown>>).reverse();
}

const pick = ({ action, actorId, channel, apiToken, onBehalfOfUser }: Record<string, unknown>) => ({
  action,
  actorId,
  channel,
  apiToken,
  onBehalfOfUser,
});

test('a request submitted and approved through the API names the users and the token', async () => {
  const { requester, approver, pkg } = await requestablePackage(api);
  const request = await submitRequest(api, requester.id, pkg.id);
  const decided = (
    await api
      .post(`/assignmentRequests/${request.id}/decision`, {
        approverId: approver.id,
        decision: 'approve',
      })
      .expect(200)
  ).body;
  const onBehalf = { channel: 'adminApi', apiToken: 'default', onBehalfOfUser: true };
  expect((await trail('request', request.id)).map(pick)).toEqual([
    { action: 'request.submitted', actorId: requester.id, ...onBehalf },
    { action: 'request.approved', actorId: approver.id, ...onBehalf },
  ]);
  // The assignment follows from the approval: the system made it, in the same call.
  const [created] = await trail('assignment', decided.assignmentId);
  expect(pick(created)).toEqual({
    action: 'assignment.created',
    actorId: null,
    channel: 'adminApi',
    apiToken: 'default',
    onBehalfOfUser: false,
  });
});

test('what the scheduler does is recorded as the scheduler, with no token', async () => {
  const { requester, pkg } = await requestablePackage(api, { approvalTimeoutDays: 1 });
  const request = await submitRequest(api, requester.id, pkg.id);
  api.clock.advance(2 * 24 * 3_600_000);
  expect(await api.services.requests.cancelTimedOut()).toContain(request.id);
  const events = await trail('request', request.id);
  expect(pick(events.at(-1)!)).toEqual({
    action: 'request.timedOut',
    actorId: null,
    channel: 'scheduler',
    apiToken: null,
    onBehalfOfUser: false,
  });
});

test('the audit channel is constrained in the database too', async () => {
  await expect(
    api.db.dataSource.query(
      `INSERT INTO audit_events (at, actor_label, action, subject_type, subject_id, channel, details)
       VALUES (now(), 'x', 'request.submitted', 'request', gen_random_uuid(), 'email', '{}')`,
    ),
  ).rejects.toMatchObject({ code: '23514' });
});
