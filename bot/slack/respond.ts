import type { RespondArguments, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { Agent } from 'undici';
import { renderSlack } from '../../cards/render-slack';
import type { CardReply } from '../../cards/reply';

// Kept-alive connections to Slack's response_url host, and a bound on a Slack that hangs.
const responses = new Agent({ headersTimeout: 10_000, bodyTimeout: 10_000 });

/**
 * Shows a reply at the payload's response_url. Posted with an undici Agent, not the
 * `fetch` behind Bolt's `respond`: every click and command is answered here, and fetch's
 * WHATWG objects cost about 0.3 ms of CPU more per post (bench: a fifth of a click).
 */
export const respondWith =
  (responseUrl: string | undefined, how: RespondArguments) =>
  async (reply: CardReply): Promise<void> => {
    if (!responseUrl) throw new Error('Slack sent no response_url to answer at.');
    // The agent's own request, not undici's `request()`, and Object.assign, not a spread: on
    // Node 20 an object made by a spread and then added to gets a hidden class of its own, so
    // `request()`'s `{ ...opts, origin, path }` and ours were old-generation garbage on every
    // click (as test/slack/bolt-hidden-classes.test.ts explains).
    const url = new URL(responseUrl);
    const res = await responses.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Object.assign({}, how, renderSlack(reply))),
    });
    // Read to the end either way, so that the connection is free for the next answer.
    const answer = await res.body.text();
    if (res.statusCode >= 400) {
      throw new Error(
        `Slack refused the answer at its response_url: ${res.statusCode} ${answer.slice(0, 100)}`,
      );
    }
  };

/**
 * Replaces the clicked message with a reply at the click's response_url; when Slack refuses
 * that (a response_url lasts 30 minutes and 5 answers) or is down, with chat.update on the
 * message itself, so that a card never keeps the buttons of a decision already made.
 */
export const replaceClicked =
  (
    responseUrl: string | undefined,
    message: { channel?: string; ts?: string; ephemeral?: boolean },
    client: webApi.WebClient,
    logger: Logger,
  ) =>
  async (reply: CardReply): Promise<void> => {
    try {
      await respondWith(responseUrl, { replace_original: true })(reply);
    } catch (err) {
      if (!message.channel || !message.ts || message.ephemeral) throw err;
      logger.warn(
        { err: { message: (err as Error).message } },
        'Slack refused the answer at the response_url: the message is updated instead',
      );
      const { text, blocks } = renderSlack(reply);
      await client.chat.update({
        channel: message.channel,
        ts: message.ts,
        text,
        blocks: blocks as unknown as webApi.KnownBlock[],
      });
    }
  };
