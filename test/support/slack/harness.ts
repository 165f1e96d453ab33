import { createHmac } from 'node:crypto';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { createSlackRouter } from '../../../bot/slack/router';
import { createHarness, type Harness } from '../domain';
import { chatFor } from '../teams/harness';
import { FakeSlack } from './fake-slack';

export const SIGNING_SECRET = 'slack-signing-secret-for-tests';

export interface PostOptions {
  age?: number;
  secret?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface SlackHarness extends Harness {
  slack: FakeSlack;
  /**
   * A body posted to /slack/events, signed as Slack signs (or not, as asked): a form unless
   * another content type is given (the Events API posts JSON), with any extra headers.
   */
  post(body: string, opts?: PostOptions): request.Test;
  /** An Events API callback (JSON) for workspace T1, signed. */
  event(event: Record<string, unknown>): request.Test;
}

/**
 * The real Bolt app on the chat layer, on a fresh database, with the Web API at a fake Slack;
 * `processBeforeResponse` so that a reply has been sent when the request returns.
 */
export async function createSlackHarness(
  opts: { allowedTeams?: string[] } = {},
): Promise<SlackHarness> {
  const h = await createHarness();
  const slack = await new FakeSlack().start();
  const app = express().use(
    '/slack',
    createSlackRouter({
      signingSecret: SIGNING_SECRET,
      botToken: 'xoxb-test',
      apiUrl: `${slack.url}/api`,
      // Teams' tenant list never keeps Slack users out.
      chat: chatFor(h, { teams: ['a-teams-tenant'], slack: opts.allowedTeams ?? [] }),
      events: h.services.inboundEvents,
      logger: pino({ level: 'silent' }),
      processBeforeResponse: true,
    }),
  );
  const post = (body: string, opts: PostOptions = {}) => {
    const ts = Math.floor(Date.now() / 1000) - (opts.age ?? 0);
    const signature = `v0=${createHmac('sha256', opts.secret ?? SIGNING_SECRET)
      .update(`v0:${ts}:${body}`)
      .digest('hex')}`;
    return request(app)
      .post('/slack/events')
      .set('content-type', opts.contentType ?? 'application/x-www-form-urlencoded')
      .set('x-slack-request-timestamp', String(ts))
      .set('x-slack-signature', signature)
      .set(opts.headers ?? {})
      .send(body);
  };
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
