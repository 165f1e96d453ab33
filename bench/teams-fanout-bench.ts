import type { Client } from 'pg';
import pino from 'pino';
import { Dispatcher } from '../bot/core/dispatcher';
import { deliveryRenderer } from '../bot/core/render-delivery';
import { createTeamsAdapter } from '../bot/teams/adapter';
import { TeamsTransport } from '../bot/teams/transport';
import { renderTeamsCard } from '../cards/render-teams';
import type { Clock } from '../server/domain/clock';
import type { Services } from '../server/domain/services';
import { cardAction } from '../test/support/teams/activities';
import type { FakeConnector, Member } from '../test/support/teams/fake-connector';
import { jsonClient } from './http-load';
import { submitFanoutRequest } from './fanout-seed';
import { knownMember, startBot } from './teams-decisions-bench';
import { elapsed, sleep } from './stats';

export interface FanoutResult {
  approvers: number;
  /** Sends the outbox had waiting from earlier sections, sent (untimed) before the cards. */
  leftover: number;
  postSeconds: number;
  /** From the click leaving to the last card updated. */
  seconds: number;
  /** The clicker's card, replaced in the click's response. */
  inReply: number;
  /** Updates the Bot Connector accepted (PUT), to the other approvers. */
  updates: number;
  refused: number;
  problem: string | null;
}

/**
 * A request whose approvers are a group of `n` Teams users, each with the approval card posted
 * by the outbox; one of them approves from the card, and the dispatcher (real clock, real
 * sleeps) updates every other card through the fake connector, which enforces Teams' limits.
 */
export async function benchFanout(args: {
  services: Services;
  clock: Clock;
  db: Client;
  connector: FakeConnector;
  approvers: number;
}): Promise<FanoutResult> {
  const { services, db, connector } = args;
  const logger = pino({ level: 'silent' });
  const adapter = createTeamsAdapter({ microsoftAppType: 'MultiTenant' });
  const dispatcher = new Dispatcher({
    deliveries: services.deliveries,
    transports: { teams: new TeamsTransport(adapter, '') },
    render: deliveryRenderer(services, args.clock, {
      teams: (r) => renderTeamsCard(r.card, r.data),
    }),
    clock: args.clock,
    logger,
  });
  const settle = async () => {
    let total = 0;
    for (let n = await dispatcher.runOnce(); n > 0; n = await dispatcher.runOnce()) total += n;
    return total;
  };

  // Whatever earlier sections left in the outbox goes first, so that it is not timed below.
  const leftover = await settle();

  const members: Member[] = [];
  const { requestId } = await submitFanoutRequest({
    services,
    db,
    platform: 'teams',
    prefix: 'fanout',
    approvers: args.approvers,
    register: async (_i, email, name) => {
      const m = await knownMember(services, connector.url, name, email);
      connector.members.set(m.id, m);
      members.push(m);
    },
  });
  const request = { id: requestId };

  let t0 = process.hrtime.bigint();
  await settle();
  const postSeconds = elapsed(t0);
  const cards = (
    await db.query<{ conversation_id: string; message_id: string }>(
      `SELECT conversation_id, message_id FROM chat_messages WHERE subject_id = $1`,
      [request.id],
    )
  ).rows;
  if (cards.length !== args.approvers) {
    return failed(`${cards.length} approval cards posted, expected ${args.approvers}`);
  }
  // Teams' windows (1 s per tenant, 2 s per conversation) are empty again, as minutes later.
  await sleep(2_500);

  const clicker = members[0];
  const clickedCard = cards.find((c) => c.conversation_id === `a:personal-${clicker.aadObjectId}`)!;
  const others = new Set(cards.map((c) => c.conversation_id));
  others.delete(clickedCard.conversation_id);
  const callsBefore = connector.calls.length;
  const refusedBefore = connector.refused;
  const updated = () =>
    connector.calls
      .slice(callsBefore)
      .filter((c) => c.method === 'PUT' && !c.refusedWith && others.has(c.conversationId)).length;

  const bot = await startBot(services, args.clock);
  const client = jsonClient();
  try {
    t0 = process.hrtime.bigint();
    const res = await client.post(
      bot.url,
      cardAction(
        clicker,
        connector.url,
        'approve',
        { requestId: request.id },
        clickedCard.message_id,
      ),
    );
    const inReply = JSON.stringify(res.body).includes('Approved:') ? 1 : 0;
    while (updated() < others.size && elapsed(t0) < 30) {
      if ((await dispatcher.runOnce()) === 0) await sleep(20);
    }
    const seconds = elapsed(t0);
    const [{ open }] = (
      await db.query<{ open: number }>(
        `SELECT count(*)::int AS open FROM chat_deliveries
          WHERE subject_id = $1 AND action = 'update' AND state <> 'done'`,
        [request.id],
      )
    ).rows;
    const updates = updated();
    const refused = connector.refused - refusedBefore;
    const problem =
      inReply !== 1
        ? `the click was answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`
        : updates !== others.size
          ? `${updates} of ${others.size} cards updated`
          : open
            ? `${open} update deliveries not done`
            : null;
    return {
      approvers: args.approvers,
      leftover,
      postSeconds,
      seconds,
      inReply,
      updates,
      refused,
      problem,
    };
  } finally {
    client.close();
    await bot.close();
  }

  function failed(problem: string): FanoutResult {
    return {
      approvers: args.approvers,
      leftover,
      postSeconds,
      seconds: NaN,
      inReply: 0,
      updates: 0,
      refused: connector.refused,
      problem,
    };
  }
}
