import { M365GroupConnector, type M365GroupOptions } from '../../server/connectors/m365-group';
import { GraphFailure } from '../../server/connectors/graph/errors';
import type { ProvisioningTarget } from '../../server/domain/ports';
import { FakeGraph } from '../support/graph/fake-graph';
import { trusting } from '../support/graph/tls';

// The Microsoft 365 group connector against a fake Entra and Graph over https: the real msal
// and Graph clients, trusting the fake's certificate through the connector's transport.

let graph: FakeGraph;
let agent: ReturnType<typeof trusting>;
beforeAll(async () => {
  graph = await FakeGraph.start();
  agent = trusting(graph.ca);
});
afterAll(async () => {
  await graph.stop();
  await agent.close();
});

/** Each connector has its own msal token cache. */
function connector(extra: Partial<M365GroupOptions> = {}) {
  return new M365GroupConnector({
    credentials: {
      tenantId: graph.tenantId,
      clientId: graph.clientId,
      clientSecret: graph.clientSecret,
      authorityUrl: graph.origin,
    },
    apiUrl: graph.apiUrl,
    transport: { dispatcher: agent, timeoutMs: 2_000 },
    ...extra,
  });
}

let n = 0;
/** A person Graph knows, and a group with nobody in it. */
function fixture() {
  const user = graph.addUser(`person${++n}@woodgrove.example`);
  return { user, group: graph.addGroup() };
}

const target = (groupId: string, email: string, role = 'member'): ProvisioningTarget => ({
  user: { id: 'u-1', email },
  resource: { id: 'r-1', type: 'm365Group', originId: groupId, attributes: {} },
  role: { id: `role-${role}`, name: role },
  actionId: 'f-1.0',
});

/** The error a call fails with. */
async function failure(call: Promise<unknown>): Promise<GraphFailure> {
  const err = await call.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  if (err instanceof GraphFailure) return err;
  throw err;
}

const callsSince = (i: number) =>
  graph.calls.slice(i).map((c) => `${c.method} ${c.path} ${c.status}`);

test('members and owners are added and removed; repeats succeed and change nothing', async () => {
  const { user, group } = fixture();
  const c = connector();
  const from = graph.calls.length;
  await c.grant(target(group, user.mail));
  await c.grant(target(group, user.mail));
  await c.grant(target(group, user.mail, 'owner'));
  expect(graph.list(group, 'members')).toEqual([user.id]);
  expect(graph.list(group, 'owners')).toEqual([user.id]);
  await c.revoke(target(group, user.mail));
  await c.revoke(target(group, user.mail));
  await c.revoke(target(group, user.mail, 'owner'));
  expect(graph.list(group, 'members')).toEqual([]);
  expect(graph.list(group, 'owners')).toEqual([]);
  // The person's object id is looked up once; a repeat is answered "already there" or 404.
  expect(callsSince(from)).toEqual([
    `GET /v1.0/users/${user.mail}?$select=id 200`,
    `POST /v1.0/groups/${group}/members/$ref 204`,
    `POST /v1.0/groups/${group}/members/$ref 400`,
    `POST /v1.0/groups/${group}/owners/$ref 204`,
    `DELETE /v1.0/groups/${group}/members/${user.id}/$ref 204`,
    `DELETE /v1.0/groups/${group}/members/${user.id}/$ref 404`,
    `DELETE /v1.0/groups/${group}/owners/${user.id}/$ref 204`,
  ]);
});

test('one token serves many calls; a token about to expire is replaced', async () => {
  const { user, group } = fixture();
  const before = graph.tokenRequests.length;
  const c = connector();
  await c.grant(target(group, user.mail));
  await c.revoke(target(group, user.mail));
  await c.grant(target(group, user.mail, 'owner'));
  expect(graph.tokenRequests.slice(before)).toEqual([
    { clientId: graph.clientId, scope: `${graph.origin}/.default` },
  ]);

  // msal renews a token within five minutes of its end: one of a minute is renewed each call.
  graph.tokenLifetimeSeconds = 60;
  try {
    const short = connector();
    const from = graph.calls.length;
    await short.grant(target(group, user.mail));
    await short.revoke(target(group, user.mail));
    // A lookup, an add and a remove: a token for each.
    expect(graph.calls.length - from).toBe(3);
    expect(graph.tokenRequests.length - before).toBe(1 + 3);
  } finally {
    graph.tokenLifetimeSeconds = 3599;
  }
});

test('a 429 waits for its Retry-After, then the call goes through', async () => {
  const { user, group } = fixture();
  const c = connector();
  await c.revoke(target(group, user.mail)); // looks the person up first
  graph.answerNext({ status: 429, retryAfter: 1 });
  const from = graph.calls.length;
  await c.grant(target(group, user.mail));
  expect(graph.list(group, 'members')).toEqual([user.id]);
  const [throttled, retried] = graph.calls.slice(from);
  expect([throttled.status, retried.status]).toEqual([429, 204]);
  expect(retried.at - throttled.at).toBeGreaterThanOrEqual(990);
});

test('a long Retry-After, or throttling past the retries, fails the call for a later retry', async () => {
  const { user, group } = fixture();
  const c = connector({ retry: { maxRetries: 1, delaySeconds: 0 } });
  await c.revoke(target(group, user.mail));

  graph.answerNext({ status: 429, retryAfter: 120 });
  let from = graph.calls.length;
  const long = await failure(c.grant(target(group, user.mail)));
  expect(long.message).toBe(
    `Microsoft Graph is busy (429, retry after 120 s), trying to add ${user.mail} as member of group ${group}; to be tried again later.`,
  );
  expect(long.transient).toBe(true);
  expect(graph.calls.length - from).toBe(1);

  graph.answerNext({ status: 503 }, { status: 503 });
  from = graph.calls.length;
  const busy = await failure(c.grant(target(group, user.mail)));
  expect(busy.message).toMatch(/^Microsoft Graph is busy \(503\)/);
  expect(graph.calls.length - from).toBe(2);
  expect(graph.list(group, 'members')).toEqual([]);
});

test('a 500 fails at once, to be retried on the fulfillment schedule', async () => {
  const { user, group } = fixture();
  const c = connector();
  await c.revoke(target(group, user.mail));
  graph.answerNext({ status: 500, message: 'Something broke.' });
  const from = graph.calls.length;
  const err = await failure(c.grant(target(group, user.mail)));
  expect(err.message).toBe(
    `Microsoft Graph failed (500), trying to add ${user.mail} as member of group ${group}. Graph said: Something broke.`,
  );
  expect(err.transient).toBe(true);
  expect(graph.calls.length - from).toBe(1);
});

test('Graph that does not answer times out', async () => {
  const { user, group } = fixture();
  const c = connector({ transport: { dispatcher: agent, timeoutMs: 300 } });
  graph.answerNext('hang');
  const err = await failure(c.grant(target(group, user.mail)));
  expect(err.message).toBe(
    `Microsoft Graph did not answer within 0.3 s, trying to look up ${user.mail}.`,
  );
  expect(err.transient).toBe(true);
});

test('granting to someone without a Microsoft 365 account is a clear failure; a guest is found by mail', async () => {
  const group = graph.addGroup();
  const c = connector();
  const from = graph.calls.length;
  const err = await failure(c.grant(target(group, "o'brien+x@partner.example")));
  expect(err.message).toBe(
    "There is no Microsoft 365 account with the email o'brien+x@partner.example.",
  );
  expect(err.transient).toBe(false);
  expect(callsSince(from)).toEqual([
    "GET /v1.0/users/o'brien+x@partner.example?$select=id 404",
    "GET /v1.0/users?$filter=mail eq 'o''brien+x@partner.example'&$select=id 200",
  ]);

  // Nobody to remove: the revocation is done.
  await c.revoke(target(group, "o'brien+x@partner.example"));

  const guest = graph.addUser('guest@partner.example', {
    userPrincipalName: 'guest_partner.example#EXT#@woodgrove.onmicrosoft.com',
  });
  await c.grant(target(group, 'Guest@Partner.example'));
  expect(graph.list(group, 'members')).toEqual([guest.id]);
});

test('an app without GroupMember.ReadWrite.All is told so', async () => {
  const { user, group } = fixture();
  graph.permissions.delete('GroupMember.ReadWrite.All');
  try {
    const err = await failure(connector().grant(target(group, user.mail)));
    expect(err.message).toBe(
      `Microsoft Graph refused to add ${user.mail} as member of group ${group}: the app lacks the permission: grant it GroupMember.ReadWrite.All and User.Read.All (application) with admin consent. Graph said: Insufficient privileges to complete the operation.`,
    );
    expect(err.transient).toBe(false);
  } finally {
    graph.permissions.add('GroupMember.ReadWrite.All');
  }
});

test('a wrong client secret is named as a sign-in failure, without the secret', async () => {
  const { user, group } = fixture();
  const secret = 'not-the-secret-0123456789';
  const c = connector({
    credentials: {
      tenantId: graph.tenantId,
      clientId: graph.clientId,
      clientSecret: secret,
      authorityUrl: graph.origin,
    },
  });
  const err = await failure(c.grant(target(group, user.mail)));
  expect(err.message).toBe(
    `Could not sign in to Microsoft Entra as app ${graph.clientId} in tenant ${graph.tenantId}: invalid_client (AADSTS7000215: Invalid client secret provided.).`,
  );
  expect(err.message).not.toContain(secret);
});

test('a role other than member or owner, or a group id that is not one, makes no call', async () => {
  const { user, group } = fixture();
  const from = graph.calls.length;
  const c = connector();
  expect((await failure(c.grant(target(group, user.mail, 'admin')))).message).toBe(
    'A Microsoft 365 group has the roles member and owner, not "admin".',
  );
  expect((await failure(c.revoke(target('../users', user.mail)))).message).toBe(
    'Resource "../users" needs the group\'s object id (a GUID) as its originId.',
  );
  const missing = await failure(c.grant(target('00000000-0000-0000-0000-000000000000', user.mail)));
  expect(missing.message).toMatch(/^Microsoft Graph found no group 00000000-/);
  expect(graph.calls.slice(from).map((call) => call.method)).toEqual(['GET', 'POST']);
});

test('a looked-up object id is reused for a while, then looked up again', async () => {
  const { user, group } = fixture();
  let now = 1_000_000;
  const c = connector({ now: () => now, userCacheMs: 60_000 });
  const lookups = () =>
    graph.calls.filter((call) => call.path.startsWith(`/v1.0/users/${user.mail}`)).length;
  await c.grant(target(group, user.mail));
  now += 59_999;
  await c.revoke(target(group, user.mail));
  expect(lookups()).toBe(1);
  now += 1;
  await c.grant(target(group, user.mail));
  expect(lookups()).toBe(2);
});
