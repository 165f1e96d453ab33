import { when } from '../../cards/texts';
import { createCrossPlatformHarness, type CrossPlatformHarness } from '../support/cross-platform';
import { packageWithPolicy } from '../support/domain';
import {
  buttonClick,
  buttonFor,
  slashCommand,
  submit,
  type SlackMessageRef,
} from '../support/slack/payloads';
import type { SlackCall } from '../support/slack/fake-slack';
import { conversationOf } from '../support/teams/harness';
import type { Member } from '../support/teams/fake-connector';

// One decision, mirrored: asked for in Slack, approved from Teams, and every approver's card on
// both platforms (chat.update in Slack, updateActivity in Teams) follows it; the requester is
// told on Slack. A Slack approver who clicks afterwards is shown who decided and when.

let t: CrossPlatformHarness;
beforeAll(async () => {
  t = await createCrossPlatformHarness();
});
afterAll(() => t.close());

const text = (x: unknown) => JSON.stringify(x);
const slackCalls = (method: string, channel?: string) =>
  t.slack.calls.filter(
    (c) => c.method === method && (channel === undefined || c.body.channel === channel),
  );

// Filled in by the first test, used by the late click.
let requestId: string;
let sidsCard: SlackCall;
let sidsMessage: SlackMessageRef;
let tina: Member;

test('request in Slack, approve in Teams: decided once, every card on both platforms follows', async () => {
  // Tina is on Teams only, Sid on Slack only, Bo on both (one person: the same email).
  tina = await t.joinTeams('Tina Teams', 'tina@woodgrove.example');
  const bo = await t.joinTeams('Bo Both', 'bo@woodgrove.example');
  await t.joinSlack('USID', 'Sid Slack', 'sid@woodgrove.example');
  await t.joinSlack('UBO', 'Bo Both', 'bo@woodgrove.example');
  // The requester is new: the command registers them.
  t.slackPerson('UREQ', 'Sam Requester', 'sam@woodgrove.example');
  const identities = await t.db.dataSource.query(
    `SELECT i.platform FROM user_identities i JOIN users u ON u.id = i.user_id
      WHERE u.email = 'bo@woodgrove.example' ORDER BY i.platform`,
  );
  expect(identities).toEqual([{ platform: 'slack' }, { platform: 'teams' }]);

  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [
      { userId: await t.idOf('tina@woodgrove.example') },
      { userId: await t.idOf('sid@woodgrove.example') },
      { userId: await t.idOf('bo@woodgrove.example') },
    ],
  });

  // The Slack flow: the command opens the form as a modal; its submission asks.
  await t
    .post(
      new URLSearchParams(
        slashCommand(t.slack, 'UREQ', `request ${pkg.name}`, 'xp-req'),
      ).toString(),
    )
    .expect(200);
  const form = t.slack.views('views.open').at(-1)!.body.view as Record<string, unknown>;
  const submitted = await submit(t, 'UREQ', form, { justification: 'Quarter close' }).expect(200);
  expect(JSON.stringify(submitted.body.view)).toContain('Waiting for approval');
  const [{ id }] = await t.db.dataSource.query(
    `SELECT r.id FROM access_requests r JOIN users u ON u.id = r.target_user_id
      WHERE u.email = 'sam@woodgrove.example'`,
  );
  requestId = id;

  // The approval card goes out on both platforms: to Tina and Bo on Teams, Sid and Bo on Slack.
  await t.deliver();
  for (const m of [tina, bo]) {
    const cards = t.teams.cardsIn(conversationOf(m)).map(text);
    expect(cards.filter((c) => c.includes('Sam Requester asks for'))).toHaveLength(1);
  }
  for (const user of ['USID', 'UBO']) {
    const posts = slackCalls('chat.postMessage', user);
    expect(posts).toHaveLength(1);
    expect(text(posts[0].body.blocks)).toContain('Sam Requester asks for');
    expect(text(posts[0].body.blocks)).toContain('Quarter close');
  }
  [sidsCard] = slackCalls('chat.postMessage', 'USID');
  const stored = await t.cardsOf(requestId);
  sidsMessage = {
    channel: 'D-USID',
    ts: stored.find((c) => c.conversationId === 'D-USID')!.messageId,
  };
  expect(stored.map((c) => c.platform).sort()).toEqual(['slack', 'slack', 'teams', 'teams']);

  // Tina approves with Action.Execute on her card; her card is replaced in the answer.
  const tinasCard = stored.find((c) => c.conversationId === conversationOf(tina))!;
  const decided = await t.teams.click(
    tina,
    'approve',
    { requestId, reason: 'Fine by me' },
    tinasCard.messageId,
  );
  expect(text(decided)).toContain('Approved');
  expect(text(decided)).toContain('Tina Teams');

  const record = await t.decisionOf(requestId);
  expect(record).toMatchObject({
    state: 'delivering',
    decidedBy: await t.idOf('tina@woodgrove.example'),
  });
  expect(record.decisions).toEqual([
    { action: 'request.approved', channel: 'teams', actorId: record.decidedBy },
  ]);

  await t.deliver();
  // Every Slack approver's DM replaced in place (the message the post created), naming Tina.
  for (const user of ['USID', 'UBO']) {
    const posted = stored.find((c) => c.conversationId === `D-${user}`)!;
    const updates = slackCalls('chat.update', `D-${user}`);
    expect(updates).toHaveLength(1);
    expect(updates[0].body.ts).toBe(posted.messageId);
    expect(text(updates[0].body.blocks)).toContain('Approved');
    expect(text(updates[0].body.blocks)).toContain('Tina Teams');
    expect(text(updates[0].body.blocks)).not.toContain('approve#');
  }
  // Bo's Teams card too; Tina's own card was replaced in her click's answer.
  const boUpdates = t.connector.sends(conversationOf(bo)).filter((c) => c.method === 'PUT');
  expect(boUpdates).toHaveLength(1);
  expect(text(boUpdates[0].body)).toContain('Tina Teams');
  expect(t.connector.sends(conversationOf(tina)).filter((c) => c.method === 'PUT')).toEqual([]);

  // The requester is told in Slack, with who decided.
  const told = slackCalls('chat.postMessage', 'UREQ');
  expect(told).toHaveLength(1);
  expect(text(told[0].body.blocks)).toContain('Approved');
  expect(text(told[0].body.blocks)).toContain('Tina Teams');

  // Every stored card shows the request as it is now.
  expect((await t.cardsOf(requestId)).every((c) => c.current)).toBe(true);
});

test('a late Slack click changes nothing and is shown who decided, and when', async () => {
  const before = await t.decisionOf(requestId);
  const updates = slackCalls('chat.update').length;
  // Sid clicks Approve on the card as it was first posted to him (a stale copy).
  await t
    .post(buttonClick(t.slack, 'USID', buttonFor(sidsCard.body.blocks, 'approve'), sidsMessage))
    .expect(200);
  const [answer, notice] = t.slack.responses.slice(-2);
  expect(notice).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  expect(text(notice.blocks)).toContain(
    `already approved by Tina Teams at ${when(before.decidedAt)}`,
  );
  expect(answer.replace_original).toBe(true);
  expect(text(answer.blocks)).toContain('Decided by');
  expect(text(answer.blocks)).toContain('Tina Teams');
  expect(text(answer.blocks)).toContain(when(before.decidedAt));
  expect(text(answer.blocks)).not.toContain('approve#');

  expect(await t.decisionOf(requestId)).toEqual(before);
  await t.deliver();
  expect(slackCalls('chat.update')).toHaveLength(updates);
});
