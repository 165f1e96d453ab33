import os from 'node:os';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { packageWithPolicy } from '../support/domain';
import { cardAction, message } from '../support/teams/activities';
import { createTeamsHarness, type TeamsHarness } from '../support/teams/harness';

// What a user can send that is wrong gets a clear answer, changes nothing, and never a 500.

let t: TeamsHarness;
beforeAll(async () => {
  t = await createTeamsHarness();
});
afterAll(() => t.close());

const text = (card: unknown) => JSON.stringify(card);

async function pendingRequest() {
  const requester = t.member(`Requester ${Math.random().toString(36).slice(2, 7)}`);
  const approver = t.member(`Approver ${Math.random().toString(36).slice(2, 7)}`);
  await t.install(approver);
  const approverUser = (await t.services.directory.findUserByEmail(approver.email))!;
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approverUser.id }],
  });
  await t.install(requester);
  const receipt = await t.click(requester, 'requestSubmit', {
    packageId: pkg.id,
    justification: 'x',
  });
  const [{ id: requestId }] = await t.db.dataSource.query(
    `SELECT id FROM access_requests WHERE package_id = $1`,
    [pkg.id],
  );
  return { requester, approver, pkg, requestId: requestId as string, receipt };
}

const stateOf = async (id: string) =>
  (await t.db.dataSource.query(`SELECT state FROM access_requests WHERE id = $1`, [id]))[0].state;

test.each([
  ['an unknown verb', 'grant me admin', /I don't know .{0,4}grant/],
  ['a command missing its argument', 'cancel', /cancel <request number>/],
  ['oversized text', `request ${'x'.repeat(5000)}`, /too long/],
  ['control characters', 'help\u0000\u0007', /Send one of these/],
  ['an unknown package', 'request No Such Thing', /No package you can request is called/],
  ['a request number that does not exist', 'cancel 999999', /was not found/],
])('%s gets a clear reply', async (_label, line, expected) => {
  const u = t.member(`Typist ${Math.random().toString(36).slice(2, 7)}`);
  const replies = await t.say(u, line);
  expect(replies).toHaveLength(1);
  expect(text(replies[0])).toMatch(expected);
});

test('a non-approver clicking Approve is refused and nothing changes', async () => {
  const { requestId } = await pendingRequest();
  const stranger = t.member('Curious Stranger');
  const card = await t.click(stranger, 'approve', { requestId });
  expect(text(card)).toMatch(/Only the approvers named by the policy/);
  expect(await stateOf(requestId)).toBe('pendingApproval');
});

test('a requester cannot approve their own request', async () => {
  const { requester, requestId } = await pendingRequest();
  const card = await t.click(requester, 'approve', { requestId });
  expect(text(card)).toMatch(/cannot decide your own request/);
  expect(await stateOf(requestId)).toBe('pendingApproval');
});

test('a click on a stale card shows the current state, with who decided', async () => {
  const { requester, approver, requestId } = await pendingRequest();
  await t.say(requester, 'requests');
  await t.click(requester, 'requestCancel', { requestId });
  const card = await t.click(approver, 'approve', { requestId });
  expect(text(card)).toMatch(/Canceled/);
  expect(await stateOf(requestId)).toBe('canceled');
});

test.each([
  [
    'an unknown verb',
    'deleteEverything',
    { requestId: '6a88ec13-7464-4bca-805f-4c6f82e0ce63' },
    /older version/,
  ],
  ['a malformed id', 'approve', { requestId: '1; DROP TABLE users' }, /cannot read/],
  ['missing data', 'requestOpen', {}, /cannot read/],
  [
    'an oversized reason',
    'deny',
    { requestId: '6a88ec13-7464-4bca-805f-4c6f82e0ce63', reason: 'x'.repeat(3000) },
    /cannot read/,
  ],
  [
    'an unknown request',
    'approve',
    { requestId: '6a88ec13-7464-4bca-805f-4c6f82e0ce63' },
    /was not found/,
  ],
  [
    'forged bulk keys',
    'approvalsDecide',
    { decision: 'approve', 'select-not-a-uuid': 'true' },
    /Select at least one/,
  ],
])('a card action with %s is answered on the card', async (_label, verb, data, expected) => {
  const u = t.member(`Clicker ${Math.random().toString(36).slice(2, 7)}`);
  expect(text(await t.click(u, verb, data))).toMatch(expected);
});

test('an activity without an Entra user is answered, not acted on', async () => {
  const u = t.member('Ghost');
  const activity = cardAction(u, t.connector.url, 'refresh', {});
  delete (activity.from as { aadObjectId?: string }).aadObjectId;
  const res = await request(t.app).post('/api/messages').send(activity).expect(200);
  expect(text(res.body)).toMatch(/cannot tell who you are/);
  expect(await t.services.directory.findUserByEmail(u.email)).toBeNull();
});

test('a profile without an email is refused with the reason, and no user is created', async () => {
  const u = t.member('No Mail');
  t.connector.members.set(u.id, { ...u, email: '', userPrincipalName: '' });
  const [reply] = await t.say(u, 'help');
  expect(text(reply)).toMatch(/email address/);
  const [{ n }] = await t.db.dataSource.query(
    `SELECT count(*)::int AS n FROM user_identities WHERE platform_user_id = $1`,
    [u.aadObjectId],
  );
  expect(n).toBe(0);
});

test('an invoke other than a card button is answered, and acted on by nothing', async () => {
  const { approver, requestId } = await pendingRequest();
  const activity = cardAction(approver, t.connector.url, 'approve', { requestId });
  for (const name of ['composeExtension/query', 'task/fetch', 'signin/verifyState']) {
    const res = await request(t.app)
      .post('/api/messages')
      .send({ ...activity, name })
      .expect(200);
    expect(res.body).toMatchObject({
      statusCode: 200,
      value: expect.stringMatching(/does not handle/),
    });
  }
  expect(await stateOf(requestId)).toBe('pendingApproval');
});

test('malformed bodies never get a 500 and create no one', async () => {
  const users = async () =>
    (await t.db.dataSource.query(`SELECT count(*)::int AS n FROM users`))[0].n;
  const before = await users();
  const post = (body: string) =>
    request(t.app).post('/api/messages').set('Content-Type', 'application/json').send(body);
  expect((await post('{not json')).status).toBe(400);
  for (const body of [
    JSON.stringify({ type: 'message' }),
    JSON.stringify([]),
    JSON.stringify({ type: 'invoke', name: 'adaptiveCard/action' }),
  ]) {
    expect((await post(body)).status).toBeLessThan(500);
  }
  expect(await users()).toBe(before);
});

test('without an app id, activities from another machine are refused', async () => {
  const address = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  if (!address) throw new Error('this test needs a non-loopback IPv4 interface');
  const server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://${address}:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '127.0.0.1' },
      body: JSON.stringify(message(t.member('Remote'), t.connector.url, 'help')),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /MicrosoftAppId/,
    );
  } finally {
    server.close();
  }
});
