import { ACTIVE_ASSIGNMENT_STATES } from '../../db/entities/states';
import type { AssignmentNotice } from '../../server/domain/assignment-reads';
import type { CardReply } from '../reply';
import { when } from '../texts';

const ACTIVE: readonly string[] = ACTIVE_ASSIGNMENT_STATES;

/** Told to the person whose access ended: expired, or removed, and why. */
export function endedCard(v: AssignmentNotice): CardReply {
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

/**
 * Asked two weeks and a day before access ends, when the policy allows extending it: the
 * Extend button, and once extended (or ended) what became of it.
 */
export function extendCard(v: AssignmentNotice): CardReply {
  if (!ACTIVE.includes(v.state)) return endedCard(v);
  if (v.extensionPrompts === 0 && v.endAt) {
    return {
      card: 'receipt',
      data: {
        heading: `${v.packageName}: extended`,
        text: `Your access now lasts until ${when(v.endAt)}.`,
        facts: [],
      },
    };
  }
  return {
    card: 'extend',
    data: {
      assignmentId: v.id,
      heading: `Your access to ${v.packageName} ends ${v.endAt ? `on ${when(v.endAt)}` : 'soon'}`,
      text: v.extensionNeedsApproval
        ? 'To keep it, ask for an extension: the approvers of its policy decide.'
        : 'To keep it, extend it: its policy needs no approval for that.',
      justificationLabel: 'Why you still need it',
      extendLabel: v.extensionNeedsApproval ? 'Ask to extend' : 'Extend',
    },
  };
}
