import express from 'express';
import request from 'supertest';
import { createDownloadRouter } from '../../server/downloads/router';
import { ADMIN_EMAIL, packageWithPolicy } from '../support/domain';
import { createTeamsHarness, type TeamsHarness } from '../support/teams/harness';
import { BOT, message, TENANT } from '../support/teams/activities';

let t: TeamsHarness;
beforeAll(async () => {
  t = await createTeamsHarness();
});
afterAll(() => t.close());

const text = (card: unknown) => JSON.stringify(card);

test('installing the app greets the user with what they can do; managers see more', async () => {
  const [plain] = await t.install(t.member('Newcomer'));
  expect(text(plain)).toContain('packages [text]');
  expect(text(plain)).not.toContain('assign <user>');
  const [admin] = await t.install(t.member('Admin One', ADMIN_EMAIL));
  expect(text(admin)).toContain('assign <user>');
});

test('a user sees their requests and access, and may cancel what waits', async () => {
  const u = t.member('Lister');
  const approver = t.member('Lister Approver');
  await t.install(approver);
  const approverUser = (await t.services.directory.findUserByEmail(approver.email))!;
  const gated = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approverUser.id }],
  });
  const open = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvalRequired: false,
  });
  const [form] = await t.say(u, `request ${gated.pkg.name}`);
  expect(text(form)).toContain('requestSubmit');
  await t.click(u, 'requestSubmit', { packageId: gated.pkg.id, justification: 'reports' });
  const auto = await t.click(u, 'requestSubmit', { packageId: open.pkg.id, justification: 'x' });
  expect(text(auto)).toContain('No approval is needed');

  const [mine] = await t.say(u, 'requests');
  expect(text(mine)).toContain(gated.pkg.name);
  expect(text(mine)).toContain('requestCancel');
  const [access] = await t.say(u, 'access');
  expect(text(access)).toContain(open.pkg.name);
  const [again] = await t.say(u, `request ${open.pkg.name}`);
  expect(text(again)).toContain('You already have this access');

  const [{ number }] = await t.db.dataSource.query(
    `SELECT number FROM access_requests WHERE package_id = $1`,
    [gated.pkg.id],
  );
  const [canceled] = await t.say(u, `cancel #${number}`);
  expect(text(canceled)).toContain(`Request #${number} is canceled`);
  const [pending] = await t.say(approver, 'approvals');
  expect(text(pending)).toContain('Nothing is waiting for you');
});

test('an approver decides several requests at once, each on its own', async () => {
  const approver = t.member('Bulk Approver');
  await t.install(approver);
  const approverUser = (await t.services.directory.findUserByEmail(approver.email))!;
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approverUser.id }],
  });
  const ids: string[] = [];
  for (const name of ['Bulk One', 'Bulk Two', 'Bulk Three']) {
    const u = t.member(name);
    await t.install(u);
    await t.click(u, 'requestSubmit', { packageId: pkg.id, justification: name });
  }
  for (const r of await t.db.dataSource.query(
    `SELECT id FROM access_requests WHERE package_id = $1 ORDER BY number`,
    [pkg.id],
  )) {
    ids.push(r.id);
  }
  const [list] = await t.say(approver, 'approvals');
  expect(text(list)).toContain('Waiting for your decision (3)');
  const after = await t.click(approver, 'approvalsDecide', {
    decision: 'approve',
    [`select-${ids[0]}`]: 'true',
    [`select-${ids[1]}`]: 'true',
    [`select-${ids[2]}`]: 'false',
  });
  expect(text(after)).toMatch(/approved\./);
  expect(text(after)).toContain('Waiting for your decision (1)');
  const states = await t.db.dataSource.query(
    `SELECT state FROM access_requests WHERE id = ANY($1) ORDER BY number`,
    [ids],
  );
  expect(states.map((s: { state: string }) => s.state)).toEqual([
    'delivering',
    'delivering',
    'pendingApproval',
  ]);
  const [{ n }] = await t.db.dataSource.query(
    `SELECT count(*)::int AS n FROM audit_events WHERE action = 'request.approved' AND subject_id = ANY($1)`,
    [ids],
  );
  expect(n).toBe(2);
});

test('managers assign, list with a CSV link, remove and hide from chat; others may not', async () => {
  const admin = t.member('Admin One', ADMIN_EMAIL);
  const target = t.member('Assignee Ann');
  await t.install(target);
  const { pkg } = await packageWithPolicy(t, { requestorScope: 'none', approvalRequired: false });
  const [assigned] = await t.say(
    admin,
    `assign ${target.email} "${pkg.name}" --days 30 --reason "project work"`,
  );
  expect(text(assigned)).toContain(`Assignee Ann now has ${pkg.name} until`);

  const [list] = await t.say(admin, `assignments ${pkg.name} --csv`);
  expect(text(list)).toContain('Assignee Ann');
  const url = /http:\/\/accessbot\.test(\/downloads\/[\w-]+)/.exec(text(list))![1];
  const csv = await request(
    express().use('/downloads', createDownloadRouter(t.services, t.services.ctx.logger)),
  ).get(url);
  expect(csv.status).toBe(200);
  expect(csv.text).toContain(target.email);

  const [hidden] = await t.say(admin, `hide ${pkg.name}`);
  expect(text(hidden)).toContain('is hidden');
  const [removed] = await t.say(admin, `remove ${target.email} ${pkg.name} --reason done`);
  expect(text(removed)).toContain(`Assignee Ann no longer has ${pkg.name}`);

  const [refused] = await t.say(target, `assign ${target.email} ${pkg.name}`);
  expect(text(refused)).toMatch(/permission|not allowed|can't|cannot/i);
});

test('activities from a tenant that is not allowed are refused', async () => {
  const guarded = await createTeamsHarness({ allowedTenants: ['another-tenant'] });
  try {
    const [reply] = await guarded.say(guarded.member('Outsider'), 'help');
    expect(text(reply)).toContain('not available to your organisation');
    expect(TENANT).not.toBe('another-tenant');
    const [{ n }] = await guarded.db.dataSource.query(
      `SELECT count(*)::int AS n FROM user_identities`,
    );
    expect(n).toBe(0);
  } finally {
    await guarded.close();
  }
});

test('a channel message with the bot and a person mentioned works like a typed email', async () => {
  const admin = t.member('Admin One', ADMIN_EMAIL);
  const megan = t.member('Megan Bowen');
  await t.install(megan);
  const { pkg } = await packageWithPolicy(t, { requestorScope: 'none', approvalRequired: false });
  const activity = message(
    admin,
    t.connector.url,
    `<at>Accessbot</at>&nbsp;assign <at>Megan Bowen</at> ${pkg.name}`,
  );
  activity.entities = [
    { type: 'mention', text: '<at>Accessbot</at>', mentioned: { id: BOT.id, name: 'Accessbot' } },
    {
      type: 'mention',
      text: '<at>Megan Bowen</at>',
      mentioned: { id: megan.id, name: 'Megan Bowen' },
    },
  ];
  const before = t.connector.calls.length;
  await request(t.app).post('/api/messages').send(activity).expect(200);
  const reply = t.connector.calls.slice(before).find((c) => c.method === 'POST');
  expect(JSON.stringify(reply?.body)).toContain(`Megan Bowen now has ${pkg.name}`);
});

test('a message in a channel does not make the channel where that person gets their cards', async () => {
  const m = t.member('Channel Chatter');
  await t.install(m);
  const inChannel = message(m, t.connector.url, 'help');
  inChannel.conversation = {
    ...inChannel.conversation,
    id: '19:channel@thread.tacv2',
    conversationType: 'channel',
    isGroup: true,
  };
  await request(t.app).post('/api/messages').send(inChannel).expect(200);
  const [identity] = await t.db.dataSource.query(
    `SELECT conversation_reference->'conversation'->>'id' AS conversation FROM user_identities WHERE platform_user_id = $1`,
    [m.aadObjectId],
  );
  expect(identity.conversation).toBe(`a:personal-${m.aadObjectId}`);
});

test("a manager's assignment list says which roles failed, and why", async () => {
  const admin = t.member('Admin One', ADMIN_EMAIL);
  const { pkg, catalog, policy } = await packageWithPolicy(t, { requestorScope: 'none' });
  const broken = await t.services.resources.add(t.api, catalog.id, {
    type: 'slackChannel',
    originId: `C-broken-${pkg.id}`,
    displayName: '#broken',
    description: '',
    attributes: {},
  });
  await t.services.packages.addResourceRole(t.api, pkg.id, broken.roles[0].id);
  const holder = await t.user('Partly Granted');
  await t.services.assignments.assignDirectly(t.api, {
    userId: holder.id,
    packageId: pkg.id,
    policyId: policy.id,
  });
  t.provisioner.failing.add(broken.originId);
  try {
    await t.fulfil();
  } finally {
    t.provisioner.failing.delete(broken.originId);
  }
  const [list] = await t.say(admin, `assignments ${pkg.name}`);
  expect(text(list)).toContain('Partly granted');
  expect(text(list)).toContain(`1 of 2 roles failed: connector down for ${broken.originId}`);
});
