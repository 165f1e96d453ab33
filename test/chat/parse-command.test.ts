import { VERBS } from '../../bot/core/commands/grammar';
import { MAX_COMMAND_LENGTH, parseCommand } from '../../bot/core/commands/parse';

const ok = (line: string) => {
  const r = parseCommand(line);
  if (!r.ok) throw new Error(`${line}: ${JSON.stringify(r)}`);
  return r.command;
};

test.each([
  ['help', { verb: 'help' }],
  ['  HELP  ', { verb: 'help' }],
  ['/help', { verb: 'help' }],
  ['packages', { verb: 'packages' }],
  ['packages web proj', { verb: 'packages', text: 'web proj' }],
  [
    'request Web project access package',
    { verb: 'request', packageName: 'Web project access package' },
  ],
  ['Request “Web project”', { verb: 'request', packageName: 'Web project' }],
  ["request Dana's tools", { verb: 'request', packageName: "Dana's tools" }],
  ['requests', { verb: 'requests', csv: false }],
  [
    'requests Web --state pendingApproval --csv',
    { verb: 'requests', packageName: 'Web', state: 'pendingApproval', csv: true },
  ],
  ['access', { verb: 'access' }],
  ['extend Web project', { verb: 'extend', packageName: 'Web project' }],
  ['cancel 42', { verb: 'cancel', number: 42 }],
  ['cancel #42', { verb: 'cancel', number: 42 }],
  ['approvals', { verb: 'approvals' }],
  [
    'assign dana@Woodgrove.example "Web project" --days 30 --reason "on call"',
    {
      verb: 'assign',
      user: { kind: 'email', email: 'dana@woodgrove.example' },
      packageName: 'Web project',
      days: 30,
      reason: 'on call',
    },
  ],
  [
    'assign <@aad-1|Dana Smith> Web project --start 2026-12-01 --end 2026-12-31 --policy Contractors',
    {
      verb: 'assign',
      user: { kind: 'mention', platformUserId: 'aad-1', name: 'Dana Smith' },
      packageName: 'Web project',
      policy: 'Contractors',
      start: new Date('2026-12-01T00:00:00Z'),
      end: new Date('2026-12-31T00:00:00Z'),
    },
  ],
  [
    'remove <@U123> Web project --reason left',
    {
      verb: 'remove',
      user: { kind: 'mention', platformUserId: 'U123' },
      packageName: 'Web project',
      reason: 'left',
    },
  ],
  ['assignments Web project --csv', { verb: 'assignments', packageName: 'Web project', csv: true }],
  ['hide Web project', { verb: 'hide', packageName: 'Web project' }],
  ['unhide "Web project"', { verb: 'unhide', packageName: 'Web project' }],
  ['request Web\u0000project', { verb: 'request', packageName: 'Web project' }],
  ['HELP?', { verb: 'help' }],
  [
    'assign dana@woodgrove.example Web —days 7 –reason "on call"',
    {
      verb: 'assign',
      user: { kind: 'email', email: 'dana@woodgrove.example' },
      packageName: 'Web',
      days: 7,
      reason: 'on call',
    },
  ],
])('%j parses', (line, expected) => {
  expect(ok(line)).toEqual(expected);
});

test.each([
  ['', { problem: 'empty' }],
  ['   ', { problem: 'empty' }],
  ['grant me everything', { problem: 'unknownVerb', word: 'grant' }],
  ['request', { problem: 'badArguments', verb: 'request', field: 'packageName' }],
  ['cancel forty-two', { problem: 'badArguments', verb: 'cancel', field: 'number' }],
  ['cancel 1 2', { problem: 'badArguments', verb: 'cancel', field: 'number' }],
  ['assign Web project', { problem: 'badArguments', verb: 'assign', field: 'user' }],
  [
    'assign dana@woodgrove.example Web --end 2026-01-01 --days 3',
    { problem: 'badArguments', verb: 'assign', field: 'days' },
  ],
  [
    'assign dana@woodgrove.example Web --days many',
    { problem: 'badArguments', verb: 'assign', field: 'days' },
  ],
  [
    'assign dana@woodgrove.example Web --days 0',
    { problem: 'badArguments', verb: 'assign', field: 'days' },
  ],
  [
    'assign dana@woodgrove.example Web --start 2026-13-45',
    { problem: 'badArguments', verb: 'assign', field: 'start' },
  ],
  [
    'assign dana@woodgrove.example Web --start 1900-01-01',
    { problem: 'badArguments', verb: 'assign', field: 'start' },
  ],
  ['requests Web --state sideways', { problem: 'badArguments', verb: 'requests', field: 'state' }],
  ['requests Web --sort name', { problem: 'badArguments', verb: 'requests', field: 'sort' }],
  ['requests Web --state', { problem: 'badArguments', verb: 'requests' }],
  ['requests Web --csv extra words', { problem: 'badArguments', verb: 'requests' }],
  [
    'request x'.padEnd(MAX_COMMAND_LENGTH + 1, 'x'),
    { problem: 'tooLong', max: MAX_COMMAND_LENGTH },
  ],
  [
    `request ${'x'.repeat(300)}`,
    { problem: 'badArguments', verb: 'request', field: 'packageName' },
  ],
])('%j is refused', (line, expected) => {
  expect(parseCommand(line)).toEqual({ ok: false, ...expected });
});

test('the verb list is the grammar of DESIGN §5', () => {
  expect([...VERBS].sort()).toEqual([
    'access',
    'approvals',
    'assign',
    'assignments',
    'cancel',
    'extend',
    'help',
    'hide',
    'packages',
    'remove',
    'request',
    'requests',
    'unhide',
  ]);
});
