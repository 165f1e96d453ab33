import pino from 'pino';
import { createChatLayer } from '../../bot';
import { slackMode } from '../../bot/slack/mode';
import { loadConfig } from '../../server/config';
import { createHarness, type Harness } from '../support/domain';
import { FakeSlack } from '../support/slack/fake-slack';

// Which credentials choose which Slack transport, and that the process's chat layer connects
// its socket on start and closes it on stop (graceful shutdown), with no HTTP route for Slack.

let h: Harness;
let slack: FakeSlack;
beforeAll(async () => {
  h = await createHarness();
  slack = await new FakeSlack().start();
});
afterAll(async () => {
  await slack.stop();
  await h.close();
});

test.each([
  [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }, 'http'],
  [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }, 'socket'],
  // The app token is made for Socket Mode only; a signing secret beside it is left unused.
  [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_SIGNING_SECRET: 's' }, 'socket'],
  [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'off'],
  [{}, 'off'],
])('%j: Slack over %s', (env, mode) => {
  expect(slackMode(loadConfig(env))).toBe(mode);
});

function layer(env: Record<string, string>) {
  return createChatLayer({
    config: loadConfig({ DEMO_DATA: 'false', SLACK_API_URL: `${slack.url}/api`, ...env }),
    services: h.services,
    clock: h.clock,
    logger: pino({ level: 'silent' }),
    databaseUrl: h.db.url,
  });
}

test('Socket Mode connects when the chat layer starts and disconnects when it stops', async () => {
  const chat = layer({
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_APP_TOKEN: 'xapp-1',
    SLACK_SIGNING_SECRET: 's',
  });
  expect(chat.routers.map(([path]) => path)).toEqual(['/api/messages']);
  await chat.start();
  expect(slack.sockets.connections).toBe(1);
  await chat.stop();
  await slack.sockets.disconnected();
  expect(slack.sockets.connections).toBe(0);
});

test('HTTP mode mounts /slack and opens no socket', async () => {
  const chat = layer({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
  expect(chat.routers.map(([path]) => path)).toEqual(['/api/messages', '/slack']);
  const opened = slack.calls.filter((c) => c.method === 'apps.connections.open').length;
  await chat.start();
  await chat.stop();
  expect(slack.calls.filter((c) => c.method === 'apps.connections.open')).toHaveLength(opened);
});

test('a refused app token fails the start with Slack’s reason', async () => {
  const chat = layer({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-revoked' });
  slack.refuseAppTokens = true;
  try {
    await expect(chat.start()).rejects.toThrow(/invalid_auth/);
  } finally {
    slack.refuseAppTokens = false;
    await chat.stop();
  }
});
