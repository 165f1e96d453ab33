import type { CardReply } from '../reply';

const COMMANDS = [
  ['packages [text]', 'Browse the access packages you can request'],
  ['request <package>', 'Ask for an access package'],
  ['requests', 'Your requests and where they stand'],
  ['access', 'The access you have, and until when'],
  ['cancel <number>', 'Withdraw a request that is still waiting'],
  ['approvals', 'Requests waiting for your decision'],
] as const;

const ADMIN_COMMANDS = [
  ['assign <user> <package>', 'Give access directly: --policy, --start, --end or --days, --reason'],
  ['remove <user> <package>', 'Take access away: --reason'],
  ['requests <package>', 'A package’s requests: --state, --csv'],
  ['assignments <package>', 'Who has a package: --state, --csv'],
  ['hide <package>', 'Stop listing a package (it stays requestable by name)'],
  ['unhide <package>', 'List a hidden package again'],
] as const;

const rows = (list: ReadonlyArray<readonly [string, string]>) =>
  list.map(([command, description]) => ({ command, description }));

export function helpCard(opts: { manager: boolean }): CardReply {
  return {
    card: 'help',
    data: {
      title: 'Accessbot',
      intro: 'Ask for access here instead of filing a ticket. Send one of these:',
      commands: rows(COMMANDS),
      isAdmin: opts.manager,
      adminIntro: 'For package managers, catalog owners and administrators:',
      adminCommands: rows(ADMIN_COMMANDS),
    },
  };
}

/** The one-line reminder sent with a refusal to parse. */
export const USAGE: Record<string, string> = {
  help: 'help',
  packages: 'packages [text]',
  request: 'request <package name>',
  requests: 'requests [<package name>] [--state <state>] [--csv]',
  access: 'access',
  extend: 'extend <package name>',
  cancel: 'cancel <request number>, for example: cancel 42',
  approvals: 'approvals',
  assign:
    'assign <user email or @mention> <package name> [--policy <name>] [--start YYYY-MM-DD] [--end YYYY-MM-DD | --days N] [--reason "…"]',
  remove: 'remove <user email or @mention> <package name> [--reason "…"]',
  assignments: 'assignments <package name> [--state <state>] [--csv]',
  hide: 'hide <package name>',
  unhide: 'unhide <package name>',
};
