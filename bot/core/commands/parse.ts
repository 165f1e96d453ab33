import {
  commandSchema,
  VERBS,
  type Command,
  type ParseProblem,
  type UserRef,
  type Verb,
} from './grammar';
import { tokenize, type Word } from './tokenize';

export const MAX_COMMAND_LENGTH = 4000;

export type ParseResult = { ok: true; command: Command } | ({ ok: false } & ParseProblem);

// Mentions arrive as <@ID> or <@ID|Name> (Slack's form; the Teams adapter rewrites its
// <at>…</at> mentions to it, with the Entra object id).
const MENTION = /^<@([\w:.-]{1,128})(?:\|([^>]{0,256}))?>$/;
const EMAIL = /^[^\s@<>]{1,64}@[^\s@<>]{1,255}\.[^\s@<>]+$/;
const BOOLEAN_FLAGS = new Set(['csv']);
const FLAGS: Record<Verb, string[]> = {
  help: [],
  packages: [],
  request: [],
  requests: ['state', 'csv'],
  access: [],
  extend: [],
  cancel: [],
  approvals: [],
  assign: ['policy', 'start', 'end', 'days', 'reason'],
  remove: ['reason'],
  assignments: ['state', 'csv'],
  hide: [],
  unhide: [],
};
// Drops control characters (a pasted NUL, a bell): nobody types them on purpose.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Reads one command line. Verbs and flags are case-insensitive; package names keep their case. */
export function parseCommand(line: string): ParseResult {
  if (line.length > MAX_COMMAND_LENGTH)
    return { ok: false, problem: 'tooLong', max: MAX_COMMAND_LENGTH };
  // Phones turn "--" into a dash; a dash before a word is meant as a flag.
  const words = tokenize(line.replace(CONTROL, ' ').replace(/(^|\s)[—–]{1,2}(?=[a-z])/gi, '$1--'));
  if (!words.length) return { ok: false, problem: 'empty' };
  const verb = words[0].text
    .replace(/^\//, '')
    .replace(/[?!.,:]+$/, '')
    .toLowerCase();
  if (!(VERBS as string[]).includes(verb))
    return { ok: false, problem: 'unknownVerb', word: words[0].text.slice(0, 50) };
  const args = split(words.slice(1));
  if (!args) return { ok: false, problem: 'badArguments', verb: verb as Verb };
  const stray = [...args.flags.keys()].find((f) => !FLAGS[verb as Verb].includes(f));
  if (stray) return { ok: false, problem: 'badArguments', verb: verb as Verb, field: stray };
  if (args.flags.has('end') && args.flags.has('days')) {
    return { ok: false, problem: 'badArguments', verb: verb as Verb, field: 'days' };
  }
  const parsed = commandSchema.safeParse(shape(verb as Verb, args));
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0];
    return {
      ok: false,
      problem: 'badArguments',
      verb: verb as Verb,
      ...(typeof field === 'string' && { field }),
    };
  }
  return { ok: true, command: parsed.data };
}

interface Args {
  positional: Word[];
  flags: Map<string, string | true>;
}

/** Positional words up to the first flag; then flags, each with a value unless boolean. */
function split(words: Word[]): Args | null {
  const positional: Word[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const flag =
      !w.quoted && /^--?[a-z]+$/i.test(w.text) ? w.text.replace(/^--?/, '').toLowerCase() : null;
    if (!flag) {
      if (flags.size) return null; // words after flags belong to no one
      positional.push(w);
      continue;
    }
    if (flags.has(flag)) return null;
    if (BOOLEAN_FLAGS.has(flag)) {
      flags.set(flag, true);
      continue;
    }
    const value = words[i + 1];
    if (!value || (!value.quoted && value.text.startsWith('--'))) return null;
    flags.set(flag, value.text);
    i++;
  }
  return { positional, flags };
}

const joined = (words: Word[]) => (words.length ? words.map((w) => w.text).join(' ') : undefined);

function userRef(word: Word | undefined): UserRef | undefined {
  if (!word) return undefined;
  const mention = MENTION.exec(word.text);
  if (mention)
    return { kind: 'mention', platformUserId: mention[1], ...(mention[2] && { name: mention[2] }) };
  if (EMAIL.test(word.text)) return { kind: 'email', email: word.text.toLowerCase() };
  return undefined;
}

/** The raw object the schema checks. */
function shape(verb: Verb, { positional, flags }: Args): Record<string, unknown> {
  const flag = (name: string) => flags.get(name);
  switch (verb) {
    case 'help':
    case 'access':
    case 'approvals':
      return { verb };
    case 'packages':
      return { verb, text: joined(positional) };
    case 'request':
    case 'extend':
    case 'hide':
    case 'unhide':
      return { verb, packageName: joined(positional) };
    case 'cancel': {
      const only = positional.length === 1 ? positional[0].text : '';
      return {
        verb,
        number: /^#?\d{1,15}$/.test(only) ? Number(only.replace('#', '')) : undefined,
      };
    }
    case 'requests':
    case 'assignments':
      return {
        verb,
        packageName: joined(positional),
        state: flag('state'),
        csv: flag('csv') === true,
      };
    case 'assign': {
      const days = flag('days');
      return {
        verb,
        user: userRef(positional[0]),
        packageName: joined(positional.slice(1)),
        policy: flag('policy'),
        start: flag('start'),
        end: flag('end'),
        days: typeof days === 'string' && /^\d{1,5}$/.test(days) ? Number(days) : days,
        reason: flag('reason'),
      };
    }
    case 'remove':
      return {
        verb,
        user: userRef(positional[0]),
        packageName: joined(positional.slice(1)),
        reason: flag('reason'),
      };
  }
}
