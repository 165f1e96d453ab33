import express from 'express';
import pino from 'pino';
import request from 'supertest';
import type { Activity } from 'botbuilder';
import { ChatService, type ChatOptions } from '../../../bot/core/chat-service';
import type { Dispatcher } from '../../../bot/core/dispatcher';
import { createTeamsAdapter } from '../../../bot/teams/adapter';
import { createTeamsRouter } from '../../../bot/teams/router';
import { TeamsTransport } from '../../../bot/teams/transport';
import { renderTeamsCard } from '../../../cards/render-teams';
import { createHarness, type Harness } from '../domain';
import { testOutbox, type OutboxPlatform } from '../outbox';
import { cardAction, message, teamsMember, installed } from './activities';
import { FakeConnector, type Member } from './fake-connector';

export interface TeamsHarness extends Harness {
  connector: FakeConnector;
  app: express.Express;
  dispatcher: Dispatcher;
  /** A person on Teams the connector can look up (not yet known to Accessbot). */
  member(name: string, email?: string): Member;
  /** Sends a message; returns the cards the bot replied with in that conversation. */
  say(from: Member, text: string): Promise<Array<Record<string, unknown>>>;
  /** Clicks a card button; returns the card that replaces the clicked one. */
  click(
    from: Member,
    verb: string,
    data: Record<string, unknown>,
    replyToId?: string,
  ): Promise<Record<string, unknown>>;
  install(from: Member): Promise<Array<Record<string, unknown>>>;
  /** Runs the dispatcher until nothing is due. */
  deliver(): Promise<void>;
  /** Every card posted or updated in a conversation, in order. */
  cardsIn(conversationId: string): Array<Record<string, unknown>>;
}

export const conversationOf = (m: Member) => `a:personal-${m.aadObjectId}`;

const cardOf = (body: Record<string, unknown>) =>
  ((body.attachments as Array<{ content: Record<string, unknown> }> | undefined) ?? []).map(
    (a) => a.content,
  );

/** The chat layer over a domain harness, as the server builds it. */
export const chatFor = (h: Harness, allowedTenants: ChatOptions['allowedTenants'] = {}) =>
  new ChatService({
    services: h.services,
    clock: h.clock,
    logger: pino({ level: 'silent' }),
    publicUrl: 'http://accessbot.test',
    allowedTenants,
  });

/** The Teams half of an app: a fake connector, the CloudAdapter's router, what it adds to the outbox. */
export async function teamsSide(h: Harness, chat: ChatService) {
  const connector = await new FakeConnector().start();
  connector.now = () => h.clock.now().getTime();
  const adapter = createTeamsAdapter({ microsoftAppType: 'MultiTenant' });
  const logger = pino({ level: 'silent' });
  const outbox: OutboxPlatform = {
    transport: new TeamsTransport(adapter, ''),
    render: (r) => renderTeamsCard(r.card, r.data),
  };
  return {
    connector,
    router: createTeamsRouter({ adapter, chat, logger, authenticated: false }),
    outbox,
  };
}

export type TeamsDriver = Pick<TeamsHarness, 'member' | 'say' | 'click' | 'install' | 'cardsIn'>;

/** People on Teams, talking to the bot at /api/messages of `app` through `connector`. */
export function teamsDriver(app: express.Express, connector: FakeConnector): TeamsDriver {
  const post = (activity: Activity) => request(app).post('/api/messages').send(activity);
  const repliesAfter = async (from: Member, send: () => Promise<unknown>) => {
    const before = connector.calls.length;
    await send();
    return connector.calls
      .slice(before)
      .filter((c) => c.method === 'POST' && c.conversationId === conversationOf(from))
      .flatMap((c) => cardOf(c.body));
  };
  return {
    member: (name, email) => {
      const m = teamsMember(
        name,
        email ?? `${name.toLowerCase().replace(/\W+/g, '.')}@woodgrove.example`,
      );
      connector.members.set(m.id, m);
      return m;
    },
    say: (from, text) =>
      repliesAfter(from, () => post(message(from, connector.url, text)).expect(200)),
    install: (from) => repliesAfter(from, () => post(installed(from, connector.url)).expect(200)),
    click: async (from, verb, data, replyToId) => {
      const res = await post(cardAction(from, connector.url, verb, data, replyToId)).expect(200);
      expect(res.body).toMatchObject({
        statusCode: 200,
        type: 'application/vnd.microsoft.card.adaptive',
      });
      return res.body.value as Record<string, unknown>;
    },
    cardsIn: (conversationId) => connector.sends(conversationId).flatMap((c) => cardOf(c.body)),
  };
}

/** The Teams chat layer on a fresh database, with no app id (loopback only), against a fake connector. */
export async function createTeamsHarness(
  opts: { allowedTenants?: string[] } = {},
): Promise<TeamsHarness> {
  const h = await createHarness();
  const { connector, router, outbox } = await teamsSide(
    h,
    chatFor(h, { teams: opts.allowedTenants ?? [] }),
  );
  const app = express().use('/api/messages', router);
  const { dispatcher, deliver } = testOutbox(h, { teams: outbox });
  return {
    ...h,
    ...teamsDriver(app, connector),
    connector,
    app,
    dispatcher,
    deliver,
    close: async () => {
      await connector.stop();
      await h.close();
    },
  };
}
