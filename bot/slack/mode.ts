import type { Config } from '../../server/config';

/**
 * How Slack reaches this process. With SLACK_BOT_TOKEN, an app token (SLACK_APP_TOKEN) means
 * Socket Mode, even when a signing secret is set too: the app token is only made for Socket
 * Mode, and a signing secret is often copied along with the other credentials. Otherwise a
 * signing secret means HTTP. server/config.ts refuses a bot token with neither.
 */
export function slackMode(
  c: Pick<Config, 'slackBotToken' | 'slackSigningSecret' | 'slackAppToken'>,
): 'socket' | 'http' | 'off' {
  if (!c.slackBotToken) return 'off';
  if (c.slackAppToken) return 'socket';
  return c.slackSigningSecret ? 'http' : 'off';
}
