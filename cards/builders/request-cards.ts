import type { RequestView } from '../../server/domain/request-views';
import type { CardReply } from '../reply';
import { age, number, period, requestStateLabel, when } from '../texts';

const fact = (title: string, value: string) => ({ title, value });
const rolesOf = (v: RequestView) =>
  v.roles.map((r) => `${r.role} of ${r.resource}`).join(', ') || 'None yet';

/** What the requester sees right after submitting. */
export function receiptCard(v: RequestView, opts: { autoApproved: boolean }): CardReply {
  return {
    card: 'receipt',
    data: {
      heading: `Request ${number(v.number)}: ${v.package.name}`,
      text: opts.autoApproved
        ? 'No approval is needed: your access is being set up.'
        : 'Your request went to its approvers. I will tell you here when they decide.',
      facts: [
        fact('Status', requestStateLabel(v.state)),
        ...(v.policyName ? [fact('Policy', v.policyName)] : []),
        ...(v.approvalDueAt && v.state === 'pendingApproval'
          ? [fact('Approvers have until', when(v.approvalDueAt))]
          : []),
      ],
    },
  };
}

export interface ApprovalCardOptions {
  now: Date;
  /** Teams user ids that see the card refresh itself (at most 60). */
  refreshUserIds?: string[];
  /** Posted again halfway through the approvers' window. */
  reminder?: boolean;
}

/**
 * The card approvers get: while the request waits, what it asks and the two buttons; once it
 * is decided (by anyone, anywhere), the outcome. Every copy is rendered from the same view.
 */
export function approvalCard(v: RequestView, opts: ApprovalCardOptions): CardReply {
  const refreshUserIds = (opts.refreshUserIds ?? []).slice(0, 60);
  if (v.state !== 'pendingApproval') return decidedCard(v, refreshUserIds);
  const scheduled = period(v.requestedStart, v.requestedEnd);
  return {
    card: 'approval',
    data: {
      requestId: v.id,
      refreshUserIds,
      heading: `${opts.reminder ? 'Reminder: ' : ''}${v.requester.displayName} asks for ${v.package.name}`,
      facts: [
        fact('Request', number(v.number)),
        fact('Requester', `${v.requester.displayName} (${v.requester.email})`),
        fact('Access', rolesOf(v)),
        fact('Justification', v.justification ?? '(none given)'),
        ...(scheduled ? [fact('Period', scheduled)] : []),
        ...(v.policyName ? [fact('Policy', v.policyName)] : []),
        fact('Asked', age(v.createdAt, opts.now)),
        ...(v.approvalDueAt
          ? [
              fact(
                opts.reminder ? 'Canceled unless decided by' : 'Decide by',
                when(v.approvalDueAt),
              ),
            ]
          : []),
      ],
      reasonLabel: v.approverReasonRequired ? 'Reason (required)' : 'Reason (optional)',
      reasonRequired: v.approverReasonRequired,
      reasonMissing: 'Give a reason for your decision.',
      approveLabel: 'Approve',
      denyLabel: 'Deny',
    },
  };
}

const OUTCOMES: Record<string, { text: string; color: string }> = {
  denied: { text: 'Denied', color: 'Attention' },
  canceled: { text: 'Canceled', color: 'Warning' },
};

/** A decided request: the outcome, by whom and when. */
export function decidedCard(v: RequestView, refreshUserIds: string[] = []): CardReply {
  const outcome = OUTCOMES[v.state] ?? {
    text: `Approved: ${requestStateLabel(v.state)}`,
    color: 'Good',
  };
  const who = v.decision ?? v.cancellation;
  const by = who?.by ?? (v.cancellation ? 'Accessbot' : 'Automatic approval');
  return {
    card: 'decided',
    data: {
      requestId: v.id,
      refreshUserIds,
      heading: `Request ${number(v.number)}: ${v.package.name}`,
      outcome: outcome.text,
      color: outcome.color,
      facts: [
        fact('Requester', v.requester.displayName),
        fact(v.cancellation ? 'Canceled by' : 'Decided by', by),
        ...(who?.at ? [fact('When', when(who.at))] : []),
        ...(who?.reason ? [fact('Reason', who.reason)] : []),
      ],
    },
  };
}

/**
 * The requester's own list, newest first, with Cancel on what still waits; `open`: only what
 * still waits is listed (the Home).
 */
export function myRequestsCard(views: RequestView[], opts: { open?: boolean } = {}): CardReply {
  return {
    card: 'my-requests',
    data: {
      heading: opts.open ? 'Your open requests' : 'Your requests',
      empty: views.length === 0,
      emptyText: opts.open
        ? 'Nothing you asked for is waiting.'
        : 'You have not asked for anything yet. Send "packages" to see what you can request.',
      items: views.map((v) => ({
        requestId: v.id,
        title: `${number(v.number)} ${v.package.name}`,
        detail: `${requestStateLabel(v.state)} · ${when(v.createdAt)}`,
        canCancel: v.state === 'pendingApproval' || v.state === 'submitted',
        cancelLabel: 'Cancel',
      })),
    },
  };
}
