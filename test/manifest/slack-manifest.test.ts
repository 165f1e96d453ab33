import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { VERBS } from '../../bot/core/commands/grammar';

// The Slack app manifest points Slack where the server listens, with the scopes the adapter
// uses; what it promises in the usage hint, the grammar understands.

const manifest = parse(
  fs.readFileSync(path.join(__dirname, '../../manifest/slack/manifest.yaml'), 'utf8'),
) as {
  features: {
    slash_commands: Array<{ command: string; url: string; usage_hint: string }>;
    app_home: { home_tab_enabled: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    interactivity: { is_enabled: boolean; request_url: string };
    event_subscriptions: { request_url: string; bot_events: string[] };
  };
};

test('the slash command and interactivity go to /slack/events', () => {
  const [command] = manifest.features.slash_commands;
  expect(command.command).toBe('/access');
  expect(new URL(command.url).pathname).toBe('/slack/events');
  expect(manifest.settings.interactivity).toEqual({
    is_enabled: true,
    request_url: command.url,
  });
});

test('the scopes are the ones the adapter calls need', () => {
  // commands: /access; chat:write + im:write: cards in direct messages; users:read(.email):
  // users.info with the verified email.
  expect(manifest.oauth_config.scopes.bot.sort()).toEqual(
    ['chat:write', 'commands', 'im:write', 'users:read', 'users:read.email'].sort(),
  );
});

test('every verb of the usage hint is one the grammar knows', () => {
  const verbs = manifest.features.slash_commands[0].usage_hint
    .split('|')
    .map((part) => part.trim().split(' ')[0]);
  for (const verb of verbs) expect(VERBS).toContain(verb);
});

test('the Home tab is on, and opening it reaches /slack/events', () => {
  expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  const events = manifest.settings.event_subscriptions;
  expect(events.request_url).toBe(manifest.features.slash_commands[0].url);
  // app_home_opened needs no scope of its own; views.publish needs none either.
  expect(events.bot_events).toEqual(['app_home_opened']);
});
