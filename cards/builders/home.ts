import type { RequestView } from '../../server/domain/request-views';
import type { CardReply } from '../reply';
import { approvalsCard, myAccessCard, type AccessItem, type ApprovalsData } from './access-cards';
import { messageCard } from './message';
import { myRequestsCard } from './request-cards';

/**
 * How many of each list the Home shows: with three lists, a notice and the help line, eight
 * of each keeps a Slack Home (100 blocks) whole; the rest are counted and named by command.
 */
export const HOME_LIST_LIMIT = 8;

/** A person's Home: each list as far as it is shown, and how long it really is. */
export interface HomeData {
  access: AccessItem[];
  accessTotal: number;
  /** Their requests still waiting for a decision, newest first. */
  requests: RequestView[];
  requestsTotal: number;
  /** Requests waiting for their decision, oldest first. */
  approvals: RequestView[];
  approvalsTotal: number;
  now: Date;
}

// The App Home exists only in Slack, so the commands it names are the slash command's.
const more = (n: number, command: string) =>
  messageCard(`…and ${n} more: /access ${command} shows them all.`);

/**
 * The Home, from the cards the commands `access`, `requests` and `approvals` answer with, so
 * its words and buttons are theirs. `after`: the answer to a click on the Home, shown on top,
 * unless it is one of the lists the Home shows anyway.
 */
export function homeCards(data: HomeData, after?: CardReply): CardReply[] {
  const notice = after && noticeOf(after);
  const tail = (shown: number, total: number, command: string) =>
    total > shown ? [more(total - shown, command)] : [];
  return [
    ...(notice ? [notice] : []),
    myAccessCard(data.access.slice(0, HOME_LIST_LIMIT)),
    ...tail(Math.min(data.access.length, HOME_LIST_LIMIT), data.accessTotal, 'access'),
    myRequestsCard(data.requests.slice(0, HOME_LIST_LIMIT), { open: true }),
    ...tail(Math.min(data.requests.length, HOME_LIST_LIMIT), data.requestsTotal, 'requests'),
    approvalsCard(data.approvals.slice(0, HOME_LIST_LIMIT), data.now, [], data.approvalsTotal),
    ...tail(Math.min(data.approvals.length, HOME_LIST_LIMIT), data.approvalsTotal, 'approvals'),
    messageCard('Type /access help to see everything Accessbot does: browse, request, extend.'),
  ];
}

function noticeOf(reply: CardReply): CardReply | null {
  if (reply.card === 'my-access' || reply.card === 'my-requests') return null;
  if (reply.card === 'approvals') {
    // What happened to each selected request; the list itself is the Home's.
    const d = reply.data as ApprovalsData;
    return d.hasResults ? messageCard(d.results) : null;
  }
  return reply;
}
