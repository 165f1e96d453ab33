import { INBOUND_EVENT_MEMORY_MS } from '../../server/domain/inbound-events';
import { policy } from '../support/domain';
import { createSlackHarness, type SlackHarness } from '../support/slack/harness';

// The Events API retries a delivery it got no timely 200 for (X-Slack-Retry-Num), possibly to
// another replica: each event is acted on once, and every delivery is still answered 200. A
// message in the DM with the app is a command, as `/access` takes it.

let t: SlackHarness;
beforeAll(async () => {
  t = await createSlackHarness();
  t.slack.add({
    id: 'UDM',
    teamId: 'T1',
    name: 'Dee Em',
    email: 'dee.em@woodgrove.example',
    emailConfirmed: true,
  });
});
afterAll(() => t.close());

let n = 0;
/** A message event as Slack posts it, with its own event id unless one is given. */
function dm(text: string, o: { eventId?: string; event?: Record<string, unknown> } = {}) {
  n++;
  return JSON.stringify({
    token: 'legacy',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: o.eventId ?? `Ev${n}`,
    event_time: 1700000000 + n,
    event: {
      type: 'message',
      channel: 'D-UDM',
      channel_type: 'im',
      user: 'UDM',
      team: 'T1',
      text,
      ts: `1700000000.00${n}`,
      event_ts: `1700000000.00${n}`,
      ...o.event,
    },
  });
}

const postEvent = (body: string, headers: Record<string, string> = {}) =>
  t.post(body, { contentType: 'application/json', headers });

const posts = () => t.slack.calls.filter((c) => c.method === 'chat.postMessage');

test('a DM to the bot is answered in the DM, as /access would answer', async () => {
  const before = posts().length;
  await postEvent(dm('help')).expect(200);
  const [reply] = posts().slice(before);
  expect(reply.body.channel).toBe('D-UDM');
  expect(JSON.stringify(reply.body.blocks)).toContain('packages');
});

test('what Slack escapes in the text is read as typed: "R&amp;D" finds the R&D package', async () => {
  const catalog = await t.services.catalogs.create(t.api, {
    name: 'Research',
    description: '',
    enabled: true,
  });
  const pkg = await t.services.packages.create(t.api, {
    catalogId: catalog.id,
    name: 'R&D Lab',
    description: '',
    hidden: false,
  });
  await t.services.policies.create(
    t.api,
    pkg.id,
    policy({ requestorScope: 'allMembers', approvalRequired: false }),
  );
  const before = posts().length;
  await postEvent(dm('packages R&amp;D')).expect(200);
  const [reply] = posts().slice(before);
  expect(JSON.stringify(reply.body.blocks)).toContain(pkg.id);
});

test('a retried delivery of the same event is acked and not acted on again', async () => {
  const before = posts().length;
  const body = dm('help', { eventId: 'EvRetried' });
  await postEvent(body).expect(200);
  await postEvent(body, {
    'X-Slack-Retry-Num': '1',
    'X-Slack-Retry-Reason': 'http_timeout',
  }).expect(200);
  expect(posts().length - before).toBe(1);
  const rows = await t.db.dataSource.query(
    `SELECT source FROM inbound_events WHERE event_id = 'EvRetried'`,
  );
  expect(rows).toEqual([{ source: 'slack' }]);
});

test('two identical deliveries at once, on separate connections, are acted on once', async () => {
  const before = posts().length;
  const body = dm('help', { eventId: 'EvTwice' });
  const [a, b] = await Promise.all([postEvent(body), postEvent(body)]);
  expect([a.status, b.status]).toEqual([200, 200]);
  expect(posts().length - before).toBe(1);
});

test('edits, other bots and the app itself are not commands', async () => {
  const before = posts().length;
  await postEvent(dm('help', { event: { subtype: 'message_changed' } })).expect(200);
  await postEvent(dm('help', { event: { bot_id: 'BOTHER', user: 'UOTHERBOT' } })).expect(200);
  await postEvent(dm('help', { event: { user: 'UBOT' } })).expect(200);
  expect(posts()).toHaveLength(before);
});

test('an unsigned event is refused before anything is recorded', async () => {
  await postEvent(dm('help', { eventId: 'EvForged' }).replace('help', 'packages'))
    .set('x-slack-signature', 'v0=forged')
    .expect(401);
  const rows = await t.db.dataSource.query(
    `SELECT 1 FROM inbound_events WHERE event_id = 'EvForged'`,
  );
  expect(rows).toHaveLength(0);
});

test('event ids are forgotten once no retry can come, in the path that records them', async () => {
  const events = t.services.inboundEvents;
  expect(await events.firstDelivery('slack', 'EvOld')).toBe(true);
  expect(await events.firstDelivery('slack', 'EvOld')).toBe(false);
  t.clock.advance(INBOUND_EVENT_MEMORY_MS + 1);
  expect(await events.firstDelivery('slack', 'EvNew')).toBe(true);
  const left = await t.db.dataSource.query(
    `SELECT event_id FROM inbound_events WHERE event_id IN ('EvOld', 'EvRetried')`,
  );
  expect(left).toEqual([]);
});

test('Slack checks the events URL with a challenge, answered without the chat layer', async () => {
  const res = await t
    .post(JSON.stringify({ token: 'legacy', challenge: 'c-123', type: 'url_verification' }), {
      contentType: 'application/json',
    })
    .expect(200);
  expect(res.body).toEqual({ challenge: 'c-123' });
});
