import type { RequestView } from '../../server/domain/request-views';
import type { CardReply } from '../reply';
import { number } from '../texts';

export type Decision = 'approve' | 'deny';

/**
 * Asked of an approver who decides without a reason when the request's policy wants one: the
 * reason, then the same decision. Its answer replaces the approval card it was asked from.
 */
export function decisionReasonCard(v: RequestView, decision: Decision, error?: string): CardReply {
  const approve = decision === 'approve';
  return {
    card: 'decision-reason',
    data: {
      requestId: v.id,
      heading: `${approve ? 'Approve' : 'Deny'} ${number(v.number)}: ${v.requester.displayName} asks for ${v.package.name}`,
      facts: [{ title: 'Justification', value: v.justification ?? '(none given)' }],
      reasonLabel: 'Reason (required)',
      reasonMissing: 'Give a reason for your decision.',
      error: error ?? '',
      hasError: Boolean(error),
      approve,
      deny: !approve,
      approveLabel: 'Approve',
      denyLabel: 'Deny',
    },
    dialog: {
      title: approve ? 'Approve request' : 'Deny request',
      closeLabel: 'Cancel',
      errors: error ? { reason: error } : {},
      answerReplacesCard: true,
    },
  };
}
