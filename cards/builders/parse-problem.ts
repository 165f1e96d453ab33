import type { CardReply } from '../reply';
import { USAGE } from './help';
import { messageCard } from './message';

type Problem =
  | { problem: 'empty' }
  | { problem: 'tooLong'; max: number }
  | { problem: 'unknownVerb'; word: string }
  | { problem: 'badArguments'; verb: string; field?: string };

const FIELD_HINTS: Record<string, string> = {
  packageName: 'Name the package.',
  number: 'Give the request number, for example 42.',
  user: 'Name the person by email address or @mention.',
  days: 'Give either --end or --days, with --days a whole number of days.',
  start: 'Dates are written YYYY-MM-DD.',
  end: 'Dates are written YYYY-MM-DD.',
  state: 'That is not a state this list knows.',
  reason: 'The reason is at most 2000 characters.',
};

/** What to say when a message is not a command: what was wrong, and how it is written. */
export function parseProblemCard(p: Problem): CardReply {
  switch (p.problem) {
    case 'empty':
      return messageCard('Send "help" to see what I can do.');
    case 'tooLong':
      return messageCard(`That message is too long for a command (at most ${p.max} characters).`, {
        tone: 'warning',
      });
    case 'unknownVerb':
      return messageCard(`I don't know "${p.word}". Send "help" to see what I can do.`, {
        tone: 'warning',
      });
    case 'badArguments': {
      const hint = p.field ? (FIELD_HINTS[p.field] ?? `"--${p.field}" is not an option here.`) : '';
      return messageCard(`${hint} Usage: ${USAGE[p.verb] ?? p.verb}`.trim(), { tone: 'warning' });
    }
  }
}
