import { approvalCard } from '../../cards/builders/request-cards';
import { renderSlack } from '../../cards/render-slack';
import { packageWithPolicy } from '../support/domain';
import { slashCommand as slashFields } from '../support/slack/payloads';
import { createSlackSocketHarness, type SlackSocketHarness } from '../support/slack/socket-harness';

// Socket Mode: the app opens apps.connections.open with its app token, connects to the URL it
// gets, and takes commands, clicks and events as envelopes on the socket, each acknowledged
// with its envelope id. The same listeners as over HTTP answer them.

let t: SlackSocketHarness;
beforeAll(async () => {
  t = await createSlackSocketHarness();
});
afterAll(() => t.close());

let n = 0;
const next = () => `s${++n}`;

function person(id: string, name: string) {
  return t.slack.add({
    id,
    teamId: 'T1',
    name,
    email: `${id.toLowerCase()}@woodgrove.example`,
    emailConfirmed: true,
  });
}

const slashCommand = (userId: string, text: string) => slashFields(t.slack, userId, text, next());

test('connecting asks for a socket with the app token, once', () => {
  expect(t.slack.calls.filter((c) => c.method === 'apps.connections.open')).toHaveLength(1);
  expect(t.slack.sockets.connections).toBe(1);
});

test('/access help over the socket: acked with its envelope id, the reply delivered', async () => {
  person('USOCK', 'Socket User');
  const before = t.slack.responses.length;
  const ack = await t.slack.sockets.send('slash_commands', slashCommand('USOCK', 'help'));
  // Acked with nothing in it: the answer comes through the response_url, after the work.
  expect(ack).toEqual({ envelope_id: expect.stringMatching(/^env-/), payload: {} });
  const reply = await t.slack.until(() => t.slack.responses[before]);
  expect(reply.response_type).toBe('ephemeral');
  expect(JSON.stringify(reply.blocks)).toContain('packages');
});

test('an Approve click over the socket decides the request', async () => {
  const approverPerson = person('USAPP', 'Socket Approver');
  const approver = await t.user('Socket Approver', { email: approverPerson.email });
  await t.services.directory.resolvePlatformUser({
    platform: 'slack',
    tenantId: 'T1',
    platformUserId: 'USAPP',
    email: approver.email,
    displayName: approver.displayName,
  });
  const requester = await t.user('Socket Requester');
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  const { request: r } = await t.services.requests.submit(await t.actor(requester), {
    packageId: pkg.id,
    justification: 'over the socket',
  });
  const [view] = await t.services.requestViews.many([r.id]);
  const approve = renderSlack(approvalCard(view, { now: t.clock.now() }))
    .blocks.filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Array<Record<string, unknown>>)
    .find((b) => String(b.action_id).startsWith('approve#'))!;

  const id = next();
  const before = t.slack.responses.length;
  const ack = await t.slack.sockets.send('interactive', {
    type: 'block_actions',
    team: { id: 'T1', domain: 'woodgrove' },
    user: { id: 'USAPP', team_id: 'T1', username: 'USAPP' },
    api_app_id: 'A1',
    trigger_id: `trigger-${id}`,
    response_url: t.slack.responseUrl(id),
    container: { type: 'message', message_ts: '1.000', channel_id: 'D1', is_ephemeral: false },
    actions: [
      {
        type: 'button',
        action_id: approve.action_id,
        block_id: 'b1',
        value: approve.value,
        text: approve.text,
        action_ts: '1.001',
      },
    ],
    state: { values: { reason: { reason: { type: 'plain_text_input', value: 'socket ok' } } } },
  });
  expect(ack.payload).toEqual({});
  const replaced = await t.slack.until(() => t.slack.responses[before]);
  expect(replaced.replace_original).toBe(true);
  expect(JSON.stringify(replaced.blocks)).toContain('Approved');
  const [row] = await t.db.dataSource.query(
    `SELECT state, decided_by, decision_reason FROM access_requests WHERE id = $1`,
    [r.id],
  );
  expect(row).toEqual({
    state: 'delivering',
    decided_by: approver.id,
    decision_reason: 'socket ok',
  });
});

test('an event and its retry (retry_attempt) are both acked, and acted on once', async () => {
  person('USDM', 'Socket DM');
  const posts = () => t.slack.calls.filter((c) => c.method === 'chat.postMessage').length;
  const before = posts();
  const payload = {
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: 'EvSocket1',
    event_time: 1700000000,
    event: {
      type: 'message',
      channel: 'D-USDM',
      channel_type: 'im',
      user: 'USDM',
      team: 'T1',
      text: 'help',
      ts: '1700000000.1',
      event_ts: '1700000000.1',
    },
  };
  const first = await t.slack.sockets.send('events_api', payload);
  expect(first.payload ?? {}).toEqual({});
  await t.slack.until(() => (posts() > before ? true : undefined));
  const retry = await t.slack.sockets.send('events_api', payload, {
    retry_attempt: 1,
    retry_reason: 'timeout',
  });
  expect(retry.envelope_id).not.toBe(first.envelope_id);
  await t.logged('Slack event delivered again: already handled');
  expect(posts()).toBe(before + 1);
  const rows = await t.db.dataSource.query(
    `SELECT 1 FROM inbound_events WHERE event_id = 'EvSocket1'`,
  );
  expect(rows).toHaveLength(1);
});

test('a malformed envelope is acknowledged and dropped; the connection goes on', async () => {
  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on('unhandledRejection', onRejection);
  try {
    t.slack.sockets.sendRaw(
      JSON.stringify({ envelope_id: 'env-bad-1', type: 'events_api', payload: {} }),
      'env-bad-1',
    );
    t.slack.sockets.sendRaw(
      JSON.stringify({ envelope_id: 'env-bad-2', type: 'slash_commands' }),
      'env-bad-2',
    );
    t.slack.sockets.sendRaw('not json at all');
    expect(await t.slack.sockets.ackOf('env-bad-1')).toEqual({
      envelope_id: 'env-bad-1',
      payload: {},
    });
    expect(await t.slack.sockets.ackOf('env-bad-2')).toEqual({
      envelope_id: 'env-bad-2',
      payload: {},
    });

    const before = t.slack.responses.length;
    await t.slack.sockets.send('slash_commands', slashCommand('USOCK', 'help'));
    const reply = await t.slack.until(() => t.slack.responses[before]);
    expect(JSON.stringify(reply.blocks)).toContain('packages');
    expect(failures).toEqual([]);
  } finally {
    process.off('unhandledRejection', onRejection);
  }
});

test('every envelope sent was acknowledged exactly once, and nothing else came back', () => {
  expect(t.slack.sockets.unacknowledged()).toEqual([]);
  expect(t.slack.sockets.strayAcks).toEqual([]);
  expect(t.slack.sockets.acks.length).toBeGreaterThanOrEqual(7);
});

test('stopping closes the socket; Slack has no connection left to send to', async () => {
  expect(t.slack.sockets.connections).toBe(1);
  await t.socket.stop();
  await t.slack.sockets.disconnected();
  expect(t.slack.sockets.connections).toBe(0);
});
