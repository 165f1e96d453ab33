import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { VERBS } from '../../bot/core/commands/grammar';

// The Slack app manifest points Slack where the server listens, with the scopes the adapter
// uses; what it promises in the usage hint, the grammar understands.

const manifest = parse(
  fs.readFileSync(path.join(__dirname, '../../manifest/slack/manifest.yaml'), 'utf8'),
) as {
  features: { slash_commands: Array<{ command: string; url: string; usage_hint: string }> };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean; request_url: string } };
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

test('the scopes are the ones the adapter and the Slack connectors call need', () => {
  // commands: /access; chat:write + im:write: cards in direct messages; users:read(.email):
  // users.info with the verified email, and users.lookupByEmail for the connectors.
  const adapter = ['chat:write', 'commands', 'im:write', 'users:read', 'users:read.email'];
  // conversations.invite / kick on public (channels:*) and private (groups:*) channels;
  // usergroups.users.list / update.
  const connectors = [
    'channels:manage',
    'channels:write.invites',
    'groups:write',
    'groups:write.invites',
    'usergroups:read',
    'usergroups:write',
  ];
  expect(manifest.oauth_config.scopes.bot.sort()).toEqual([...adapter, ...connectors].sort());
});

test('every verb of the usage hint is one the grammar knows', () => {
  const verbs = manifest.features.slash_commands[0].usage_hint
    .split('|')
    .map((part) => part.trim().split(' ')[0]);
  for (const verb of verbs) expect(VERBS).toContain(verb);
});
