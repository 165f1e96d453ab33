import { createCrossPlatformHarness, type CrossPlatformHarness } from '../support/cross-platform';
import { packageWithPolicy } from '../support/domain';
import { buttonClick, buttonFor } from '../support/slack/payloads';
import { conversationOf } from '../support/teams/harness';

// The reverse: asked for in Teams, approved by a click in Slack; the Teams cards are updated
// through the connector (updateActivity), the other Slack copy with chat.update, and the
// requester is told in Teams.

let t: CrossPlatformHarness;
beforeAll(async () => {
  t = await createCrossPlatformHarness();
});
afterAll(() => t.close());

const text = (x: unknown) => JSON.stringify(x);
const slackCalls = (method: string, channel: string) =>
  t.slack.calls.filter((c) => c.method === method && c.body.channel === channel);

test('request in Teams, approve in Slack: the Teams cards and the requester follow', async () => {
  const tina = await t.joinTeams('Tina Teams', 'tina@woodgrove.example');
  const bo = await t.joinTeams('Bo Both', 'bo@woodgrove.example');
  await t.joinSlack('USID', 'Sid Slack', 'sid@woodgrove.example');
  await t.joinSlack('UBO', 'Bo Both', 'bo@woodgrove.example');
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [
      { userId: await t.idOf('tina@woodgrove.example') },
      { userId: await t.idOf('sid@woodgrove.example') },
      { userId: await t.idOf('bo@woodgrove.example') },
    ],
  });

  const requester = t.teams.member('Ria Requester', 'ria@woodgrove.example');
  await t.teams.click(requester, 'requestOpen', { packageId: pkg.id });
  const receipt = await t.teams.click(requester, 'requestSubmit', {
    packageId: pkg.id,
    justification: 'Release week',
  });
  expect(text(receipt)).toContain('Waiting for approval');
  const [{ id: requestId }] = await t.db.dataSource.query(
    `SELECT r.id FROM access_requests r JOIN users u ON u.id = r.target_user_id
      WHERE u.email = 'ria@woodgrove.example'`,
  );

  await t.deliver();
  const [sidsCard] = slackCalls('chat.postMessage', 'USID');
  expect(text(sidsCard.body.blocks)).toContain('Ria Requester asks for');
  const stored = await t.cardsOf(requestId);
  expect(stored.map((c) => `${c.platform} ${c.conversationId}`).sort()).toEqual(
    [
      'slack D-UBO',
      'slack D-USID',
      `teams ${conversationOf(bo)}`,
      `teams ${conversationOf(tina)}`,
    ].sort(),
  );

  // Sid approves on his DM: the click's answer replaces that message.
  const sidsMessage = stored.find((c) => c.conversationId === 'D-USID')!;
  await t
    .post(
      buttonClick(
        t.slack,
        'USID',
        buttonFor(sidsCard.body.blocks, 'approve'),
        { channel: 'D-USID', ts: sidsMessage.messageId },
        { reason: 'Go ahead' },
      ),
    )
    .expect(200);
  const answer = t.slack.responses.at(-1)!;
  expect(answer.replace_original).toBe(true);
  expect(text(answer.blocks)).toContain('Approved');
  expect(text(answer.blocks)).toContain('Sid Slack');

  const record = await t.decisionOf(requestId);
  expect(record).toMatchObject({
    state: 'delivering',
    decidedBy: await t.idOf('sid@woodgrove.example'),
  });
  expect(record.decisions).toEqual([
    { action: 'request.approved', channel: 'slack', actorId: record.decidedBy },
  ]);

  await t.deliver();
  // Both Teams cards updated in place through the connector, naming Sid.
  for (const m of [tina, bo]) {
    const posted = stored.find((c) => c.conversationId === conversationOf(m))!;
    const updates = t.connector.sends(conversationOf(m)).filter((c) => c.method === 'PUT');
    expect(updates).toHaveLength(1);
    expect(updates[0].activityId).toBe(posted.messageId);
    expect(text(updates[0].body)).toContain('Approved');
    expect(text(updates[0].body)).toContain('Sid Slack');
  }
  // Bo's Slack copy too; Sid's own was replaced in his click's answer.
  const boUpdates = slackCalls('chat.update', 'D-UBO');
  expect(boUpdates).toHaveLength(1);
  expect(text(boUpdates[0].body.blocks)).toContain('Sid Slack');
  expect(slackCalls('chat.update', 'D-USID')).toEqual([]);

  // The requester is told in Teams, with who decided.
  const told = t.teams.cardsIn(conversationOf(requester)).map(text);
  expect(told.filter((c) => c.includes('Approved') && c.includes('Sid Slack'))).toHaveLength(1);

  expect((await t.cardsOf(requestId)).every((c) => c.current)).toBe(true);
});
