import { createCrossPlatformHarness, type CrossPlatformHarness } from '../support/cross-platform';
import { packageWithPolicy } from '../support/domain';
import { buttonClick, buttonFor } from '../support/slack/payloads';
import type { Member } from '../support/teams/fake-connector';
import { conversationOf } from '../support/teams/harness';

// Two approvers on different platforms click Approve at the same moment (two HTTP posts in
// flight together): the request is decided once, and the one who lost sees the card of the one
// who won. To make "the same moment" certain, the request's row is held locked until both
// decisions have read it as pending and wait to write it; then both go at once.

let t: CrossPlatformHarness;
let tina: Member;
let ids: { tina: string; sid: string };
let pkgId: string;
beforeAll(async () => {
  t = await createCrossPlatformHarness();
  tina = await t.joinTeams('Tina Teams', 'tina@woodgrove.example');
  await t.joinSlack('USID', 'Sid Slack', 'sid@woodgrove.example');
  ids = {
    tina: await t.idOf('tina@woodgrove.example'),
    sid: await t.idOf('sid@woodgrove.example'),
  };
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: ids.tina }, { userId: ids.sid }],
  });
  pkgId = pkg.id;
});
afterAll(() => t.close());

const text = (x: unknown) => JSON.stringify(x);

/** Runs `clicks` while the request's row is locked, and lets go once `waiters` wait on it. */
async function atOnce<T>(requestId: string, waiters: number, clicks: () => Promise<T>) {
  const lock = t.db.dataSource.createQueryRunner();
  await lock.connect();
  await lock.startTransaction();
  try {
    await lock.query(`SELECT 1 FROM access_requests WHERE id = $1 FOR UPDATE`, [requestId]);
    const running = clicks();
    for (let waited = 0; ; waited += 5) {
      const [{ n }] = await t.db.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (n >= waiters) break;
      if (waited > 10_000) throw new Error(`only ${n} of ${waiters} clicks reached the lock`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await lock.commitTransaction();
    return await running;
  } finally {
    if (lock.isTransactionActive) await lock.rollbackTransaction();
    await lock.release();
  }
}
const NAMES = { tina: 'Tina Teams', sid: 'Sid Slack' };

test.each([1, 2, 3])('round %i: one decision, the other click is told who won', async (n) => {
  const requester = await t.user(`Requester ${n}`);
  const { request } = await t.services.requests.submit(await t.actor(requester), {
    packageId: pkgId,
    justification: `round ${n}`,
  });
  await t.deliver();
  const stored = await t.cardsOf(request.id);
  const tinas = stored.find((c) => c.conversationId === conversationOf(tina))!;
  const sids = stored.find((c) => c.conversationId === 'D-USID')!;
  const sidsCard = t.slack.calls.find(
    (c) => c.method === 'chat.postMessage' && text(c.body.blocks).includes(`round ${n}`),
  )!;

  const earlier = t.slack.responses.length;
  const [teamsAnswer] = await atOnce(request.id, 2, () =>
    Promise.all([
      t.teams.click(tina, 'approve', { requestId: request.id }, tinas.messageId),
      t
        .post(
          buttonClick(t.slack, 'USID', buttonFor(sidsCard.body.blocks, 'approve'), {
            channel: 'D-USID',
            ts: sids.messageId,
          }),
        )
        .expect(200),
    ]),
  );
  // The card that replaced Sid's message (a loser is also told apart, ephemerally).
  const answers = t.slack.responses.slice(earlier);
  const slackAnswer = answers.find((r) => r.replace_original === true)!;

  const record = await t.decisionOf(request.id);
  expect(record.state).toBe('delivering');
  expect(record.decisions).toHaveLength(1);
  const winner = record.decidedBy === ids.tina ? 'tina' : 'sid';
  expect(record.decidedBy).toBe(ids[winner]);
  expect(record.decisions[0]).toEqual({
    action: 'request.approved',
    channel: winner === 'tina' ? 'teams' : 'slack',
    actorId: ids[winner],
  });
  // Both clickers see the decided card, and it names the winner, not the loser.
  const loser = winner === 'tina' ? 'sid' : 'tina';
  for (const answer of [text(teamsAnswer), text(slackAnswer.blocks)]) {
    expect(answer).toContain('Decided by');
    expect(answer).toContain(NAMES[winner]);
    expect(answer).not.toContain(NAMES[loser]);
  }
  const notices = answers.filter((r) => r.response_type === 'ephemeral');
  expect(notices.map((r) => text(r.blocks).includes(`already approved by ${NAMES.tina}`))).toEqual(
    winner === 'tina' ? [true] : [],
  );

  // Each card was replaced in its click's answer: the outbox has nothing to refresh.
  const updatesBefore = t.slack.calls.filter((c) => c.method === 'chat.update').length;
  const putsBefore = t.connector.sends().filter((c) => c.method === 'PUT').length;
  await t.deliver();
  expect(t.slack.calls.filter((c) => c.method === 'chat.update')).toHaveLength(updatesBefore);
  expect(t.connector.sends().filter((c) => c.method === 'PUT')).toHaveLength(putsBefore);
  expect((await t.cardsOf(request.id)).every((c) => c.current)).toBe(true);
});
