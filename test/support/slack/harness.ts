import express from 'express';
import pino from 'pino';
import request from 'supertest';
import type { ChatService } from '../../../bot/core/chat-service';
import { createSlackRouter, slackWebClient } from '../../../bot/slack/router';
import { SlackTransport } from '../../../bot/slack/transport';
import { renderSlack } from '../../../cards/render-slack';
import { renderSlackHome } from '../../../cards/render-slack-home';
import { createHarness, type Harness } from '../domain';
import type { OutboxPlatform } from '../outbox';
import { chatFor } from '../teams/harness';
import { FakeSlack } from './fake-slack';
import { signatureHeaders } from './signature';

export const SIGNING_SECRET = 'slack-signing-secret-for-tests';

export interface PostOptions {
  age?: number;
  secret?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * A body posted to /slack/events, signed as Slack signs (or not, as asked): a form unless
 * another content type is given (the Events API posts JSON), with any extra headers.
 */
export type SlackPost = (body: string, opts?: PostOptions) => request.Test;

export interface SlackHarness extends Harness {
  slack: FakeSlack;
  post: SlackPost;
  /** An Events API callback (JSON) for workspace T1, signed. */
  event(event: Record<string, unknown>): request.Test;
}

/**
 * The Slack half of an app: a fake Slack, the real Bolt app's router on `chat` (with
 * `processBeforeResponse`, so that a reply has been sent when the request returns), and what
 * it adds to the outbox.
 */
export async function slackSide(h: Harness, chat: ChatService) {
  const slack = await new FakeSlack().start();
  const router = createSlackRouter({
    signingSecret: SIGNING_SECRET,
    botToken: 'xoxb-test',
    apiUrl: `${slack.url}/api`,
    chat,
    events: h.services.inboundEvents,
    logger: pino({ level: 'silent' }),
    processBeforeResponse: true,
  });
  return { slack, router, outbox: slackOutboxPlatform(slack) };
}

/** Cards and Homes sent to the fake Slack's Web API, as the server's dispatcher sends them. */
export const slackOutboxPlatform = (slack: FakeSlack): OutboxPlatform => ({
  transport: new SlackTransport(
    slackWebClient({ slackBotToken: 'xoxb-test', slackApiUrl: `${slack.url}/api` }),
  ),
  render: (r) => ({ ...renderSlack(r) }),
  home: renderSlackHome,
});

/** The headers Slack signs `body` with at `ts` (seconds): what a replay would copy. */
export const slackSignature = (body: string, ts: number, secret = SIGNING_SECRET) =>
  signatureHeaders(body, ts, secret);

/** Posts to /slack/events of `app`, signed with the test secret unless told otherwise. */
export const signedPost =
  (app: express.Express): SlackPost =>
  (body, opts = {}) =>
    request(app)
      .post('/slack/events')
      .set('content-type', opts.contentType ?? 'application/x-www-form-urlencoded')
      .set(slackSignature(body, Math.floor(Date.now() / 1000) - (opts.age ?? 0), opts.secret))
      .set(opts.headers ?? {})
      .send(body);

/** The real Bolt app on the chat layer, on a fresh database, with the Web API at a fake Slack. */
export async function createSlackHarness(
  opts: { allowedTeams?: string[] } = {},
): Promise<SlackHarness> {
  const h = await createHarness();
  // Teams' tenant list never keeps Slack users out.
  const chat = chatFor(h, { teams: ['a-teams-tenant'], slack: opts.allowedTeams ?? [] });
  const { slack, router } = await slackSide(h, chat);
  const app = express().use('/slack', router);
  const post = signedPost(app);
  let events = 0;
  return {
    ...h,
    slack,
    post,
    event: (event) =>
      post(
        JSON.stringify({
          token: 'legacy-token',
          team_id: 'T1',
          api_app_id: 'A1',
          type: 'event_callback',
          // Its own id: a repeated id would be dropped as Slack's retry.
          event_id: `EvHarness${++events}`,
          event_time: Math.floor(Date.now() / 1000),
          event,
        }),
        { contentType: 'application/json' },
      ),
    close: async () => {
      await slack.stop();
      await h.close();
    },
  };
}
