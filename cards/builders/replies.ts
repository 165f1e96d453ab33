import type { CardReply } from '../reply';
import { assignmentStateLabel, day, number, when } from '../texts';
import { OPEN_REQUEST_STATES, type AssignmentState, type RequestState } from '../../db/entities';
import type { RequestView } from '../../server/domain/request-views';
import { messageCard } from './message';

// Every short answer the chat layer gives, for every platform: handlers choose, these say.

export const replies = {
  unidentified: () =>
    messageCard('I cannot tell who you are in your organisation, so I cannot act for you.', {
      tone: 'error',
    }),
  tenantNotAllowed: () =>
    messageCard('Accessbot is not available to your organisation.', { tone: 'error' }),
  internalError: () =>
    messageCard('Something went wrong on my side. It has been logged; please try again.', {
      tone: 'error',
    }),
  oldCard: () =>
    messageCard('This card is from an older version of Accessbot. Send "help" to start again.', {
      tone: 'warning',
    }),
  unreadableCard: () =>
    messageCard('This card sent something I cannot read. Send "help" to start again.', {
      tone: 'warning',
    }),
  noSuchRequestablePackage: (name: string) =>
    messageCard(`No package you can request is called "${name}". Send "packages" to see them.`, {
      tone: 'warning',
    }),
  noSuchPackage: (name: string) =>
    messageCard(`There is no access package called "${name}".`, { tone: 'warning' }),
  unknownPerson: (who: string) =>
    messageCard(
      `I don't know ${who} yet: name them by email, or ask them to say hello to Accessbot first.`,
      { tone: 'warning' },
    ),
  choosePolicy: (names: string[]) =>
    messageCard(
      `Choose a policy with --policy: ${names.map((n) => `"${n}"`).join(', ') || 'the package has none'}.`,
      { tone: 'warning' },
    ),
  assigned: (who: string, pkg: string, state: AssignmentState, endAt: Date | null) =>
    messageCard(
      `${who} now has ${pkg}${endAt ? ` until ${day(endAt)}` : ''} (${assignmentStateLabel(state)}).`,
      { tone: 'good' },
    ),
  noActiveAssignment: (who: string, pkg: string) =>
    messageCard(`${who} has no active ${pkg}.`, { tone: 'warning' }),
  removed: (who: string, pkg: string) =>
    messageCard(`${who} no longer has ${pkg}.`, { tone: 'good' }),
  hidden: (pkg: string, hidden: boolean) =>
    messageCard(
      hidden
        ? `${pkg} is hidden: it is no longer listed, and can still be requested by name.`
        : `${pkg} is listed again.`,
      { tone: 'good' },
    ),
  /** To a late clicker: "already approved by X at T". */
  alreadyDecided: (v: RequestView) => {
    if ((OPEN_REQUEST_STATES as readonly RequestState[]).includes(v.state)) {
      return messageCard(
        `Request ${number(v.number)} is past its approval deadline and can no longer be decided.`,
        { tone: 'warning' },
      );
    }
    const who = v.cancellation ?? v.decision;
    const what = v.cancellation ? 'canceled' : v.state === 'denied' ? 'denied' : 'approved';
    const by = who?.by ? ` by ${who.by}` : v.cancellation ? '' : ' automatically';
    const at = who?.at ? ` at ${when(who.at)}` : '';
    return messageCard(`Request ${number(v.number)} was already ${what}${by}${at}.`, {
      tone: 'warning',
    });
  },
  canceled: (n: number) => messageCard(`Request ${number(n)} is canceled.`, { tone: 'good' }),
  nothingToExtend: (pkg: string) =>
    messageCard(`You have no access called "${pkg}" to extend. Send "access" to see yours.`, {
      tone: 'warning',
    }),
  extended: (pkg: string, endAt: Date) =>
    messageCard(`${pkg} is extended: your access now lasts until ${day(endAt)}.`, {
      tone: 'good',
    }),
  dialogNotOpened: () =>
    messageCard('The form could not be opened in time. Please click or send the command again.', {
      tone: 'warning',
    }),
  dialogClose: () => 'Close',
  selectFirst: () => messageCard('Select at least one request first.', { tone: 'warning' }),
  /** To a Teams invoke other than a card's button (none is declared in the manifest). */
  unsupportedInvoke: () => 'Accessbot does not handle this kind of request.',
  decidedInBulk: (n: number, decision: 'approve' | 'deny') =>
    `${number(n)}: ${decision === 'approve' ? 'approved' : 'denied'}.`,
} satisfies Record<string, (...args: never[]) => CardReply | string>;
