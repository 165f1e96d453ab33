import { approvalCard } from '../../cards/builders/request-cards';
import { renderSlack } from '../../cards/render-slack';
import { createSlackHarness, type SlackHarness } from '../support/slack/harness';
import { homeTools } from '../support/slack/home';

// The App Home kept current: any change it shows republishes it through the outbox, once per
// person per dispatch and never inside the request that made the change; a click on the Home
// is answered by publishing it again.

type Json = Record<string, unknown>;

let t: SlackHarness;
let home: ReturnType<typeof homeTools>;
beforeAll(async () => {
  t = await createSlackHarness();
  home = homeTools(t);
});
afterAll(() => t.close());
afterEach(() => {
  // Every view published passed Slack's limits.
  expect(t.slack.refused).toEqual([]);
});

test('a decision made in Teams republishes the approver’s and the requester’s Homes, once each', async () => {
  const approver = await home.person('Outbox Approver');
  const requester = await home.person('Outbox Requester');
  const { approved } = await home.packages(approver.id);
  const { request } = await t.services.requests.submit(await t.actor(requester), {
    packageId: approved.pkg.id,
    justification: 'launch',
  });
  await home.deliver();
  // Asked: the approval card in their messages, and their Home says what waits.
  expect(home.homeText(approver.slackId)).toContain(`Outbox Requester: ${approved.pkg.name}`);
  expect(home.homeText(requester.slackId)).toContain(`#${request.number} ${approved.pkg.name}`);

  const before = {
    approver: home.publishes(approver.slackId),
    requester: home.publishes(requester.slackId),
  };
  // Decided in Teams: the decision, the assignment, its provisioning all change the Homes.
  await t.services.decisions.decide(await t.actor(approver), request.id, { decision: 'approve' });
  await t.fulfil();
  expect(home.publishes(approver.slackId)).toHaveLength(before.approver.length);
  await home.deliver();

  expect(home.publishes(approver.slackId)).toHaveLength(before.approver.length + 1);
  expect(home.publishes(requester.slackId)).toHaveLength(before.requester.length + 1);
  expect(home.homeText(approver.slackId)).toContain('Nothing is waiting for you.');
  expect(home.homeText(requester.slackId)).toContain('Nothing you asked for is waiting.');
  expect(home.homeText(requester.slackId)).toContain(approved.pkg.name);
  const [{ n: waitingPublishes }] = await t.db.dataSource.query(
    `SELECT count(*)::int AS n FROM chat_deliveries WHERE action = 'publish' AND state <> 'done'`,
  );
  expect(waitingPublishes).toBe(0);
});

test('a decision clicked on a Slack card republishes both Homes through the outbox', async () => {
  const approver = await home.person('Card Approver');
  const requester = await home.person('Card Requester');
  const { approved } = await home.packages(approver.id);
  const { request } = await t.services.requests.submit(await t.actor(requester), {
    packageId: approved.pkg.id,
    justification: 'a card click',
  });
  await home.deliver();
  const before = home.publishes().length;
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
  expect(home.publishes()).toHaveLength(before);
  await home.deliver();
  expect(home.publishes(approver.slackId).length).toBeGreaterThan(0);
  expect(home.homeText(approver.slackId)).toContain('Nothing is waiting for you.');
  expect(home.homeText(requester.slackId)).toContain('Nothing you asked for is waiting.');
});

test('Cancel on the Home cancels the request and publishes the Home again', async () => {
  const me = await home.person('Home Canceler');
  const boss = await home.person('Cancel Boss');
  const { approved } = await home.packages(boss.id);
  const { request } = await t.services.requests.submit(await t.actor(me), {
    packageId: approved.pkg.id,
    justification: 'changed my mind',
  });
  await home.opened(me.slackId).expect(200);
  const cancel = home
    .buttons(me.slackId)
    .find((b) => String(b.action_id).startsWith('requestCancel#'))!;
  expect(JSON.parse(String(cancel.value))).toEqual({ requestId: request.id });
  const before = home.publishes(me.slackId).length;
  const responses = t.slack.responses.length;

  await home.clickOnHome(me.slackId, cancel).expect(200);

  const [row] = await t.db.dataSource.query(
    `SELECT state, canceled_by FROM access_requests WHERE id = $1`,
    [request.id],
  );
  expect(row).toEqual({ state: 'canceled', canceled_by: me.id });
  expect(home.publishes(me.slackId)).toHaveLength(before + 1);
  expect(home.homeText(me.slackId)).toContain('Nothing you asked for is waiting.');
  expect(home.homeText(me.slackId)).not.toContain(`#${request.number} `);
  expect(t.slack.responses).toHaveLength(responses);
});

test('Approve selected on the Home decides with the Home’s inputs, and says what happened', async () => {
  const approver = await home.person('Home Approver');
  const requester = await home.person('Home Requester');
  const { approved } = await home.packages(approver.id);
  const { request } = await t.services.requests.submit(await t.actor(requester), {
    packageId: approved.pkg.id,
    justification: 'from the Home',
  });
  await home.opened(approver.slackId).expect(200);
  const approve = home
    .buttons(approver.slackId)
    .find(
      (b) =>
        String(b.action_id).startsWith('approvalsDecide#') && String(b.value).includes('approve'),
    )!;
  const select = `select-${request.id}`;

  // The Home's checkbox and reason arrive in the view's state, not the payload's.
  await home
    .clickOnHome(approver.slackId, approve, {
      [select]: { [select]: { type: 'checkboxes', selected_options: [{ value: 'true' }] } },
      reason: { reason: { type: 'plain_text_input', value: 'fine by me' } },
    })
    .expect(200);

  const [row] = await t.db.dataSource.query(
    `SELECT state, decided_by, decision_reason FROM access_requests WHERE id = $1`,
    [request.id],
  );
  expect(row).toMatchObject({ decided_by: approver.id, decision_reason: 'fine by me' });
  expect(row.state).not.toBe('pendingApproval');
  const view = t.slack.homes.get(approver.slackId)!;
  expect(JSON.stringify((view.blocks as Json[])[0])).toContain(`#${request.number}: approved.`);
  expect(home.homeText(approver.slackId)).toContain('Nothing is waiting for you.');
});

test('a Home Slack refuses with 429 is published again after its Retry-After', async () => {
  const requester = await home.person('Limited Requester');
  const approver = await home.person('Limited Approver');
  const { approved } = await home.packages(approver.id);
  await home.deliver();
  const before = home.publishes(approver.slackId).length;
  await t.services.requests.submit(await t.actor(requester), {
    packageId: approved.pkg.id,
    justification: 'rate limits',
  });
  t.slack.failNext(429, 9, 'views.publish');
  const start = t.clock.now().getTime();
  await home.deliver();

  const [waiting] = await t.db.dataSource.query(
    `SELECT due_at FROM chat_deliveries WHERE action = 'publish' AND state = 'pending'`,
  );
  expect(new Date(waiting.due_at).getTime() - start).toBeGreaterThanOrEqual(9000);
  t.clock.advance(9000);
  await home.deliver();
  const published =
    home.publishes(requester.slackId).length + home.publishes(approver.slackId).length;
  expect(published).toBe(before + 2);
  expect(home.homeText(approver.slackId)).toContain('Limited Requester');
});
