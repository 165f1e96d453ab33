import { LIMITS } from '../../cards/slack-limits';
import { createSlackHarness, type SlackHarness } from '../support/slack/harness';
import { homeTools } from '../support/slack/home';

// The App Home: opening the Home tab publishes the person's access, open requests and
// approvals from the database, within Slack's limits, for anyone Slack sends.

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

test('opening the Home tab shows access, open requests and approvals from the database', async () => {
  const me = await home.person('Home Owner');
  const boss = await home.person('Home Boss');
  const colleague = await home.person('Home Colleague');
  const mine = await home.packages(boss.id);
  const theirs = await home.packages(me.id);
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

  await home.opened(me.slackId).expect(200);

  expect(home.publishes(me.slackId)).toHaveLength(1);
  const view = t.slack.homes.get(me.slackId)!;
  expect(view.type).toBe('home');
  const text = home.homeText(me.slackId);
  expect(text).toContain('Your access');
  expect(text).toContain(mine.open.pkg.name);
  expect(text).toContain('Your open requests');
  expect(text).toContain(`#${waiting.number} ${mine.approved.pkg.name}`);
  expect(text).toContain('Waiting for your decision (1)');
  expect(text).toContain(`Home Colleague: ${theirs.approved.pkg.name}`);
  expect(text).toContain('/access help');
  const verbs = home.buttons(me.slackId).map((b) => String(b.action_id).split('#')[0]);
  expect(verbs).toEqual(['requestCancel', 'approvalsDecide', 'approvalsDecide']);
});

test('opening the Messages tab publishes nothing', async () => {
  const me = await home.person('Messages Tab');
  const before = home.publishes().length;
  await home.opened(me.slackId, 'messages').expect(200);
  expect(home.publishes()).toHaveLength(before);
});

test('a Home with 150 assignments stays within 100 blocks and says how many more there are', async () => {
  const me = await home.person('Many Access');
  const { open } = await home.packages(me.id);
  await t.db.dataSource.query(
    `WITH p AS (
       INSERT INTO access_packages (catalog_id, name, description, hidden)
       SELECT $1, 'Seeded package ' || g, '', false FROM generate_series(1, 150) g RETURNING id)
     INSERT INTO assignments (user_id, package_id, policy_id, policy_snapshot, state, start_at)
     SELECT $2, p.id, $3, '{"name": "Policy"}', 'delivered', now() FROM p`,
    [open.catalog.id, me.id, open.policy.id],
  );

  await home.opened(me.slackId).expect(200);

  const view = t.slack.homes.get(me.slackId)!;
  expect((view.blocks as Json[]).length).toBeLessThanOrEqual(LIMITS.blocks.home);
  expect(home.homeText(me.slackId)).toContain('…and 142 more: /access access shows them all.');
});

test('someone new opening the Home is registered from users.info and sees an empty Home', async () => {
  t.slack.add({
    id: 'UNEWCOMER',
    teamId: 'T1',
    name: 'New Comer',
    email: 'newcomer@woodgrove.example',
    emailConfirmed: true,
  });

  await home.opened('UNEWCOMER').expect(200);

  expect(t.slack.calls).toContainEqual({
    method: 'users.info',
    body: expect.objectContaining({ user: 'UNEWCOMER' }),
  });
  const [identity] = await t.db.dataSource.query(
    `SELECT u.email FROM user_identities ui JOIN users u ON u.id = ui.user_id
      WHERE ui.platform = 'slack' AND ui.platform_user_id = 'UNEWCOMER'`,
  );
  expect(identity).toEqual({ email: 'newcomer@woodgrove.example' });
  const text = home.homeText('UNEWCOMER');
  expect(text).toContain('You have no access through Accessbot yet.');
  expect(text).toContain('Nothing you asked for is waiting.');
  expect(text).toContain('Nothing is waiting for you.');
  expect(text).toContain('/access help');
});

test('someone Slack does not know gets a Home that says so, not an error', async () => {
  await home.opened('UNKNOWN').expect(200);
  expect(home.homeText('UNKNOWN')).toContain('Accessbot recognises people by their email address');
});
