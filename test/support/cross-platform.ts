import express from 'express';
import { createHarness, type Harness } from './domain';
import { testOutbox } from './outbox';
import type { FakeSlack, SlackPerson } from './slack/fake-slack';
import { signedPost, slackSide, type SlackPost } from './slack/harness';
import { slashCommand } from './slack/payloads';
import type { FakeConnector, Member } from './teams/fake-connector';
import { chatFor, teamsDriver, teamsSide, type TeamsDriver } from './teams/harness';

export interface CrossPlatformHarness extends Harness {
  /** One express app: Teams at /api/messages, Slack at /slack/events, one chat layer. */
  app: express.Express;
  connector: FakeConnector;
  slack: FakeSlack;
  /** People on Teams, through the CloudAdapter. */
  teams: TeamsDriver;
  /** Signed posts into Bolt. */
  post: SlackPost;
  /** A person in the fake Slack workspace T1 (not yet known to Accessbot). */
  slackPerson(id: string, name: string, email: string): SlackPerson;
  /** A person on Teams who has installed the app, so Accessbot knows them and can message them. */
  joinTeams(name: string, email: string): Promise<Member>;
  /** A person in Slack who has typed `/access help`, so Accessbot knows them. */
  joinSlack(id: string, name: string, email: string): Promise<SlackPerson>;
  /** The user id of the person with this email. */
  idOf(email: string): Promise<string>;
  /** `/access <text>` from a Slack user; returns what the response_url got. */
  slash(userId: string, text: string): Promise<Record<string, unknown>>;
  /** Runs the one outbox dispatcher, which sends to both platforms, until nothing is due. */
  deliver(): Promise<void>;
  /** What the database holds of a request's decision, read with SQL. */
  decisionOf(requestId: string): Promise<DecisionRecord>;
  /** Every card stored for a request: where it is, and whether it shows the request as it is. */
  cardsOf(requestId: string): Promise<StoredCard[]>;
}

export interface DecisionRecord {
  state: string;
  decidedBy: string | null;
  decidedAt: Date | null;
  version: number;
  /** Audit events that record a decision, with the channel each came through. */
  decisions: Array<{ action: string; channel: string; actorId: string | null }>;
  /** Outbox events about the request. */
  events: number;
}

export interface StoredCard {
  platform: string;
  conversationId: string;
  messageId: string;
  recipientUserId: string;
  card: string;
  current: boolean;
}

/**
 * Both platforms in one app over one database, as the server mounts them: the Teams and Slack
 * halves of the single-platform harnesses on one chat layer, and one outbox for both.
 */
export async function createCrossPlatformHarness(): Promise<CrossPlatformHarness> {
  const h = await createHarness();
  const chat = chatFor(h);
  const teams = await teamsSide(h, chat);
  const slack = await slackSide(h, chat);
  const app = express().use('/api/messages', teams.router).use('/slack', slack.router);
  const { deliver } = testOutbox(h, { teams: teams.outbox, slack: slack.outbox });
  const post = signedPost(app);
  const driver = teamsDriver(app, teams.connector);
  let commands = 0;
  const slash = async (userId: string, text: string) => {
    const before = slack.slack.responses.length;
    const body = slashCommand(slack.slack, userId, text, `xp${++commands}`);
    await post(new URLSearchParams(body).toString()).expect(200);
    expect(slack.slack.responses.length).toBe(before + 1);
    return slack.slack.responses.at(-1)!;
  };
  const slackPerson = (id: string, name: string, email: string) =>
    slack.slack.add({ id, teamId: 'T1', name, email, emailConfirmed: true });
  return {
    ...h,
    app,
    connector: teams.connector,
    slack: slack.slack,
    teams: driver,
    post,
    slackPerson,
    slash,
    joinTeams: async (name, email) => {
      const member = driver.member(name, email);
      await driver.install(member);
      return member;
    },
    joinSlack: async (id, name, email) => {
      const person = slackPerson(id, name, email);
      await slash(id, 'help');
      return person;
    },
    idOf: async (email) => {
      const user = await h.services.directory.findUserByEmail(email);
      if (!user) throw new Error(`nobody has the email ${email}`);
      return user.id;
    },
    deliver,
    decisionOf: async (requestId) => {
      const [r] = await h.db.dataSource.query(
        `SELECT state, decided_by, decided_at, version::int AS version,
                (SELECT count(*)::int FROM outbox_events e WHERE e.subject_id = r.id) AS events
           FROM access_requests r WHERE id = $1`,
        [requestId],
      );
      const decisions = await h.db.dataSource.query(
        `SELECT action, channel, actor_id AS "actorId" FROM audit_events
          WHERE subject_id = $1 AND action IN ('request.approved', 'request.denied') ORDER BY id`,
        [requestId],
      );
      return {
        state: r.state,
        decidedBy: r.decided_by,
        decidedAt: r.decided_at,
        version: r.version,
        decisions,
        events: r.events,
      };
    },
    cardsOf: (requestId) =>
      h.db.dataSource.query(
        `SELECT m.platform, m.conversation_id AS "conversationId", m.message_id AS "messageId",
                m.recipient_user_id AS "recipientUserId", m.card, m.version = r.version AS current
           FROM chat_messages m JOIN access_requests r ON r.id = m.subject_id
          WHERE m.subject_id = $1 ORDER BY m.id`,
        [requestId],
      ),
    close: async () => {
      await teams.connector.stop();
      await slack.slack.stop();
      await h.close();
    },
  };
}
