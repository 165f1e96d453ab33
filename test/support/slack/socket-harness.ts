import { EventEmitter, once } from 'node:events';
import pino from 'pino';
import { createSlackSocket, type SlackSocket } from '../../../bot/slack/socket-mode';
import { createHarness, type Harness } from '../domain';
import { chatFor } from '../teams/harness';
import { FakeSlack } from './fake-slack';

export interface SlackSocketHarness extends Harness {
  slack: FakeSlack;
  socket: SlackSocket;
  /** Resolves once the app has logged a message with this text (info and above). */
  logged(text: string): Promise<void>;
}

/**
 * The real Bolt app in Socket Mode on the chat layer, on a fresh database: it asks the fake
 * Slack for a socket URL with the app token and connects; `start` has resolved once the fake
 * said hello.
 */
export async function createSlackSocketHarness(): Promise<SlackSocketHarness> {
  const h = await createHarness();
  const slack = await new FakeSlack().start();
  const lines: string[] = [];
  const wrote = new EventEmitter();
  const logger = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        lines.push(line);
        wrote.emit('line');
      },
    },
  );
  const socket = createSlackSocket({
    appToken: 'xapp-1-test',
    botToken: 'xoxb-test',
    apiUrl: `${slack.url}/api`,
    chat: chatFor(h, { teams: ['a-teams-tenant'] }),
    events: h.services.inboundEvents,
    logger,
  });
  await socket.start();
  return {
    ...h,
    slack,
    socket,
    logged: async (text) => {
      while (!lines.some((l) => (JSON.parse(l) as { msg?: string }).msg?.includes(text))) {
        await once(wrote, 'line');
      }
    },
    close: async () => {
      await socket.stop();
      await slack.stop();
      await h.close();
    },
  };
}
