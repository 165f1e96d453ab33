import pino from 'pino';
import { Dispatcher } from '../../bot/core/dispatcher';
import { deliveryRenderer } from '../../bot/core/render-delivery';
import { slackWebClient } from '../../bot/slack/router';
import { SlackTransport } from '../../bot/slack/transport';
import { approvalCard } from '../../cards/builders/request-cards';
import { renderSlack } from '../../cards/render-slack';
import { renderSlackHome } from '../../cards/render-slack-home';
import { LIMITS } from '../../cards/slack-limits';
import { packageWithPolicy } from '../support/domain';
import { createSlackHarness, type SlackHarness } from '../support/slack/harness';

// The App Home: opening the Home tab publishes the person's access, open requests and
// approvals from the database; clicks on it are answered by publishing it again; and any
// change it shows republishes it through the outbox, once per person per dispatch.

type Json = Record<string, unknown>;

let t: SlackHarness;
let dispatcher: Dispatcher;
beforeAll(async () => {
  t = await createSlackHarness();
  dispatcher = new Dispatcher({
    deliveries: t.services.deliveries,
    transports: {
      slack: new SlackTransport(
        slackWebClient({ slackBotToken: 'xoxb-test', slackApiUrl: `${t.slack.url}/api` }),
      ),
    },
    render: deliveryRenderer(
      t.services,
      t.clock,
      { slack: (r) => ({ ...renderSlack(r) }) },
      { slack: renderSlackHome },
    ),
    clock: t.clock,
    logger: pino({ level: 'silent' }),
    sleep: async (ms) => t.clock.advance(ms),
  });
});
afterAll(() => t.close());
afterEach(() => {
  // Every view published passed Slack's limits.
  expect(t.slack.refused).toEqual([]);
});

const deliver = async () => {
  while ((await dispatcher.runOnce()) > 0);
};
const publishes = (userId?: string) =>
  t.slack.calls.filter(
    (c) => c.method === 'views.publish' && (!userId || c.body.user_id === userId),
  );
const homeText = (userId: string) => JSON.stringify(t.slack.homes.get(userId) ?? null);
const buttons = (userId: string) =>
  ((t.slack.homes.get(userId)?.blocks as Json[]) ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Json[]);
const opened = (user: string, tab = 'home') =>
  t.event({ type: 'app_home_opened', user, channel: `D-${user}`, tab, event_ts: '1.000' });

let n = 0;
async function person(name: string) {
  const id = `U${++n}${name.replace(/\W/g, '').toUpperCase()}`;
  const email = `${id.toLowerCase()}@woodgrove.example`;
  t.slack.add({ id, teamId: 'T1', name, email, emailConfirmed: true });
  const user = await t.user(name, { email });
  await t.services.directory.resolvePlatformUser({
    platform: 'slack',
    tenantId: 'T1',
    platformUserId: id,
    email,
    displayName: name,
  });
  return { ...user, slackId: id };
}

/** A package `approver` must approve, and one anybody gets at once. */
async function packages(approverId: string) {
  const approved = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approverId }],
  });
  const open = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvalRequired: false,
  });
  return { approved, open };
}

test('opening the Home tab shows access, open requests and approvals from the database', async () => {
  const me = await person('Home Owner');
  const boss = await person('Home Boss');
  const colleague = await person('Home Colleague');
  const mine = await packages(boss.id);
  const theirs = await packages(me.id);
  await t.services.requests.submit(await t.actor(me), {
    packageId: mine.open.pkg.id,
    justification: 'daily work',
  });
  const { request: waiting } = await t.services.requests.submit(await t.actor(me), {
    packageId: mine.approved.pkg.id,
    justification: 'month end',
  });
  await t.services.requests.submit(await t.actor(colleague), {
    packageId: theirs.approved.pkg.id,
    justification: 'audit',
  });

  await opened(me.slackId).expect(200);

  expect(publishes(me.slackId)).toHaveLength(1);
  const home = t.slack.homes.get(me.slackId)!;
  expect(home.type).toBe('home');
  const text = homeText(me.slackId);
  expect(text).toContain('Your access');
  expect(text).toContain(mine.open.pkg.name);
  expect(text).toContain('Your open requests');
  expect(text).toContain(`#${waiting.number} ${mine.approved.pkg.name}`);
  expect(text).toContain('Waiting for your decision (1)');
  expect(text).toContain(`Home Colleague: ${theirs.approved.pkg.name}`);
  expect(text).toContain('/access help');
  const verbs = buttons(me.slackId).map((b) => String(b.action_id).split('#')[0]);
  expect(verbs).toEqual(['requestCancel', 'approvalsDecide', 'approvalsDecide']);
});

test('opening the Messages tab publishes nothing', async () => {
  const me = await person('Messages Tab');
  const before = publishes().length;
  await opened(me.slackId, 'messages').expect(200);
  expect(publishes()).toHaveLength(before);
});

test('a decision made in Teams republishes the approver’s and the requester’s Homes, once each', async () => {
  const approver = await person('Outbox Approver');
  const requester = await person('Outbox Requester');
  const { approved } = await packages(approver.id);
  const { request } = await t.services.requests.submit(await t.actor(requester), {
    packageId: approved.pkg.id,
    justification: 'launch',
  });
  await deliver();
  // Asked: the approval card in their messages, and their Home says what waits.
  expect(homeText(approver.slackId)).toContain(`Outbox Requester: ${approved.pkg.name}`);
  expect(homeText(requester.slackId)).toContain(`#${request.number} ${approved.pkg.name}`);

  const before = { approver: publishes(approver.slackId), requester: publishes(requester.slackId) };
  // Decided in Teams: the decision, the assignment, its provisioning all change the Homes.
  await t.services.decisions.decide(await t.actor(approver), request.id, { decision: 'approve' });
  await t.fulfil();
  expect(publishes(approver.slackId)).toHaveLength(before.approver.length);
  await deliver();

  expect(publishes(approver.slackId)).toHaveLength(before.approver.length + 1);
  expect(publishes(requester.slackId)).toHaveLength(before.requester.length + 1);
  expect(homeText(approver.slackId)).toContain('Nothing is waiting for you.');
  expect(homeText(requester.slackId)).toContain('Nothing you asked for is waiting.');
  expect(homeText(requester.slackId)).toContain(approved.pkg.name);
  const [{ n: waitingPublishes }] = await t.db.dataSource.query(
    `SELECT count(*)::int AS n FROM chat_deliveries WHERE action = 'publish' AND state <> 'done'`,
  );
  expect(waitingPublishes).toBe(0);
});

test('a decision clicked on a Slack card republishes both Homes through the outbox', async () => {
  const approver = await person('Card Approver');
  const requester = await person('Card Requester');
  const { approved } = await packages(approver.id);
  const { request } = await t.services.requests.submit(await t.actor(requester), {
    packageId: approved.pkg.id,
    justification: 'a card click',
  });
  await deliver();
  const before = publishes().length;
  const [view] = await t.services.requestViews.many([request.id]);
  const approve = renderSlack(approvalCard(view, { now: t.clock.now() }))
    .blocks.filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Json[])
    .find((b) => String(b.action_id).startsWith('approve#'))!;
  await t
    .post(
      new URLSearchParams({
        payload: JSON.stringify({
          type: 'block_actions',
          team: { id: 'T1', domain: 'woodgrove' },
          user: { id: approver.slackId, team_id: 'T1', username: 'approver' },
          api_app_id: 'A1',
          trigger_id: 'trigger-card',
          response_url: t.slack.responseUrl('card'),
          container: { type: 'message', message_ts: '9.000', channel_id: 'D9' },
          actions: [
            {
              type: 'button',
              action_id: approve.action_id,
              block_id: 'b1',
              value: approve.value,
              action_ts: '9.001',
            },
          ],
          state: { values: {} },
        }),
      }).toString(),
    )
    .expect(200);
  // Not inside the click: the Homes wait for the outbox.
  expect(publishes()).toHaveLength(before);
  await deliver();
  expect(publishes(approver.slackId).length).toBeGreaterThan(0);
  expect(homeText(approver.slackId)).toContain('Nothing is waiting for you.');
  expect(homeText(requester.slackId)).toContain('Nothing you asked for is waiting.');
});

test('a Home with 150 assignments stays within 100 blocks and says how many more there are', async () => {
  const me = await person('Many Access');
  const { open } = await packages(me.id);
  await t.db.dataSource.query(
    `WITH p AS (
       INSERT INTO access_packages (catalog_id, name, description, hidden)
       SELECT $1, 'Seeded package ' || g, '', false FROM generate_series(1, 150) g RETURNING id)
     INSERT INTO assignments (user_id, package_id, policy_id, policy_snapshot, state, start_at)
     SELECT $2, p.id, $3, '{"name": "Policy"}', 'delivered', now() FROM p`,
    [open.catalog.id, me.id, open.policy.id],
  );

  await opened(me.slackId).expect(200);

  const home = t.slack.homes.get(me.slackId)!;
  expect((home.blocks as Json[]).length).toBeLessThanOrEqual(LIMITS.blocks.home);
  expect(homeText(me.slackId)).toContain('…and 142 more: /access access shows them all.');
});

test('Cancel on the Home cancels the request and publishes the Home again', async () => {
  const me = await person('Home Canceler');
  const boss = await person('Cancel Boss');
  const { approved } = await packages(boss.id);
  const { request } = await t.services.requests.submit(await t.actor(me), {
    packageId: approved.pkg.id,
    justification: 'changed my mind',
  });
  await opened(me.slackId).expect(200);
  const cancel = buttons(me.slackId).find((b) => String(b.action_id).startsWith('requestCancel#'))!;
  expect(JSON.parse(String(cancel.value))).toEqual({ requestId: request.id });
  const before = publishes(me.slackId).length;
  const responses = t.slack.responses.length;

  // A click on a Home: a view container and the view, no message and no response_url.
  await t
    .post(
      new URLSearchParams({
        payload: JSON.stringify({
          type: 'block_actions',
          team: { id: 'T1', domain: 'woodgrove' },
          user: { id: me.slackId, team_id: 'T1', username: 'canceler' },
          api_app_id: 'A1',
          trigger_id: 'trigger-home',
          container: { type: 'view', view_id: `V-${me.slackId}` },
          view: {
            ...t.slack.homes.get(me.slackId),
            id: `V-${me.slackId}`,
            hash: '1.abc',
            state: { values: {} },
          },
          actions: [
            {
              type: 'button',
              action_id: cancel.action_id,
              block_id: 'b2',
              value: cancel.value,
              action_ts: '2.001',
            },
          ],
        }),
      }).toString(),
    )
    .expect(200);

  const [row] = await t.db.dataSource.query(
    `SELECT state, canceled_by FROM access_requests WHERE id = $1`,
    [request.id],
  );
  expect(row).toEqual({ state: 'canceled', canceled_by: me.id });
  expect(publishes(me.slackId)).toHaveLength(before + 1);
  expect(homeText(me.slackId)).toContain('Nothing you asked for is waiting.');
  expect(homeText(me.slackId)).not.toContain(`#${request.number} `);
  expect(t.slack.responses).toHaveLength(responses);
});

test('Approve selected on the Home decides with the Home’s inputs, and says what happened', async () => {
  const approver = await person('Home Approver');
  const requester = await person('Home Requester');
  const { approved } = await packages(approver.id);
  const { request } = await t.services.requests.submit(await t.actor(requester), {
    packageId: approved.pkg.id,
    justification: 'from the Home',
  });
  await opened(approver.slackId).expect(200);
  const approve = buttons(approver.slackId).find(
    (b) =>
      String(b.action_id).startsWith('approvalsDecide#') && String(b.value).includes('approve'),
  )!;
  const select = `select-${request.id}`;

  // The Home's checkbox and reason arrive in the view's state, not the payload's.
  await t
    .post(
      new URLSearchParams({
        payload: JSON.stringify({
          type: 'block_actions',
          team: { id: 'T1', domain: 'woodgrove' },
          user: { id: approver.slackId, team_id: 'T1', username: 'approver' },
          api_app_id: 'A1',
          trigger_id: 'trigger-approve',
          container: { type: 'view', view_id: `V-${approver.slackId}` },
          view: {
            ...t.slack.homes.get(approver.slackId),
            id: `V-${approver.slackId}`,
            state: {
              values: {
                [select]: {
                  [select]: { type: 'checkboxes', selected_options: [{ value: 'true' }] },
                },
                reason: { reason: { type: 'plain_text_input', value: 'fine by me' } },
              },
            },
          },
          actions: [
            {
              type: 'button',
              action_id: approve.action_id,
              block_id: 'b3',
              value: approve.value,
              action_ts: '3.001',
            },
          ],
        }),
      }).toString(),
    )
    .expect(200);

  const [row] = await t.db.dataSource.query(
    `SELECT state, decided_by, decision_reason FROM access_requests WHERE id = $1`,
    [request.id],
  );
  expect(row).toMatchObject({ decided_by: approver.id, decision_reason: 'fine by me' });
  expect(row.state).not.toBe('pendingApproval');
  const home = t.slack.homes.get(approver.slackId)!;
  expect(JSON.stringify((home.blocks as Json[])[0])).toContain(`#${request.number}: approved.`);
  expect(homeText(approver.slackId)).toContain('Nothing is waiting for you.');
});

test('someone new opening the Home is registered from users.info and sees an empty Home', async () => {
  t.slack.add({
    id: 'UNEWCOMER',
    teamId: 'T1',
    name: 'New Comer',
    email: 'newcomer@woodgrove.example',
    emailConfirmed: true,
  });

  await opened('UNEWCOMER').expect(200);

  expect(t.slack.calls).toContainEqual({
    method: 'users.info',
    body: expect.objectContaining({ user: 'UNEWCOMER' }),
  });
  const [identity] = await t.db.dataSource.query(
    `SELECT u.email FROM user_identities ui JOIN users u ON u.id = ui.user_id
      WHERE ui.platform = 'slack' AND ui.platform_user_id = 'UNEWCOMER'`,
  );
  expect(identity).toEqual({ email: 'newcomer@woodgrove.example' });
  const text = homeText('UNEWCOMER');
  expect(text).toContain('You have no access through Accessbot yet.');
  expect(text).toContain('Nothing you asked for is waiting.');
  expect(text).toContain('Nothing is waiting for you.');
  expect(text).toContain('/access help');
});

test('someone Slack does not know gets a Home that says so, not an error', async () => {
  await opened('UNKNOWN').expect(200);
  expect(homeText('UNKNOWN')).toContain('Accessbot recognises people by their email address');
});
