import type { EndedView } from '../../server/domain/assignment-reads';
import type { CardReply } from '../reply';
import { when } from '../texts';

/** Told to the person whose access ended: expired, or removed, and why. */
export function endedCard(v: EndedView): CardReply {
  const at = v.endedAt ? `on ${when(v.endedAt)}` : 'just now';
  return {
    card: 'receipt',
    data: {
      heading: `Your access to ${v.packageName} has ended`,
      text:
        v.state === 'expired'
          ? `It expired ${at}. Send "request ${v.packageName}" to ask for it again.`
          : `It was removed ${at}.`,
      facts: v.endReason && v.state !== 'expired' ? [{ title: 'Reason', value: v.endReason }] : [],
    },
  };
}
