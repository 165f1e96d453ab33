import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { VERBS } from '../../bot/core/commands/grammar';

// The Slack app manifests, one per transport: over HTTP they point Slack where the server
// listens; in Socket Mode they name no URL at all. Both ask for the scopes and events the
// adapter uses, and what they promise in the usage hint, the grammar understands.

interface Manifest {
  features: {
    slash_commands: Array<{ command: string; url?: string; usage_hint: string }>;
    app_home: {
      home_tab_enabled: boolean;
      messages_tab_enabled: boolean;
      messages_tab_read_only_enabled: boolean;
    };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    interactivity: { is_enabled: boolean; request_url?: string };
    event_subscriptions: { request_url?: string; bot_events: string[] };
    socket_mode_enabled: boolean;
  };
}

const read = (file: string) =>
  parse(fs.readFileSync(path.join(__dirname, '../../manifest/slack', file), 'utf8')) as Manifest;
const http = read('manifest.yaml');
const socket = read('manifest.socket.yaml');

test('over HTTP, the slash command, interactivity and events go to /slack/events', () => {
  const [command] = http.features.slash_commands;
  expect(command.command).toBe('/access');
  expect(new URL(command.url!).pathname).toBe('/slack/events');
  expect(http.settings.interactivity).toEqual({ is_enabled: true, request_url: command.url });
  expect(http.settings.event_subscriptions.request_url).toBe(command.url);
  expect(http.settings.socket_mode_enabled).toBe(false);
});

test('in Socket Mode, nothing names a URL: Slack sends everything over the socket', () => {
  expect(socket.settings.socket_mode_enabled).toBe(true);
  expect(socket.features.slash_commands.map((c) => c.command)).toEqual(['/access']);
  expect(socket.settings.interactivity).toEqual({ is_enabled: true });
  expect(JSON.stringify(socket)).not.toMatch(/url"|https?:/);
});

test.each([
  ['manifest.yaml', http],
  ['manifest.socket.yaml', socket],
])(
  '%s: the scopes and events are the ones the adapter and the Slack connectors use',
  (_file, manifest) => {
    // commands: /access; chat:write + im:write: cards and answers in direct messages (and
    // conversations.open for them); im:history + message.im: commands typed in the DM;
    // files:write: CSV exports through files.uploadV2; users:read(.email): users.info with the
    // verified email, and users.lookupByEmail for the connectors.
    const adapter = [
      'chat:write',
      'commands',
      'files:write',
      'im:history',
      'im:write',
      'users:read',
      'users:read.email',
    ];
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
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      [...adapter, ...connectors].sort(),
    );
    // app_home_opened (the Home tab) and views.publish need no scope of their own.
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([
      'app_home_opened',
      'message.im',
    ]);
    // The Home tab is on, and people can type to the bot in its Messages tab.
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  },
);

test('the two manifests differ only in how Slack reaches Accessbot', () => {
  const withoutTransport = (m: Manifest) => {
    const copy = structuredClone(m);
    copy.features.slash_commands.forEach((c) => delete c.url);
    delete copy.settings.interactivity.request_url;
    delete copy.settings.event_subscriptions.request_url;
    delete (copy.settings as Partial<Manifest['settings']>).socket_mode_enabled;
    return copy;
  };
  expect(withoutTransport(socket)).toEqual(withoutTransport(http));
});

test('every verb of the usage hint is one the grammar knows', () => {
  for (const manifest of [http, socket]) {
    const verbs = manifest.features.slash_commands[0].usage_hint
      .split('|')
      .map((part) => part.trim().split(' ')[0]);
    for (const verb of verbs) expect(VERBS).toContain(verb);
  }
});
