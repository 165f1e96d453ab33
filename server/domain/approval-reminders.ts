import type { EntityManager } from 'typeorm';
import { SCHEDULER } from './actor';
import { approversToAsk, fallbackApprovers, hasNoNamedApprover } from './approvers';
import { audit } from './audit';
import type { DomainContext } from './context';
import { enqueue } from './outbox-events';
import { rows } from './sql';

const BATCH = 500;
// The approvers' window, as the policy gave it when the request was made.
const WINDOW = `make_interval(days => (r.policy_snapshot->>'approvalTimeoutDays')::int)`;

/**
 * Keeps waiting requests moving before their deadline cancels them: halfway through the
 * approval window the approvers are reminded; a day before it (or halfway, for a window of a
 * day) a request whose approvers are named also goes to the catalog's owners and the admins,
 * who may then decide it as well. Each happens once per request, set-based, in batches that
 * any number of schedulers can run at once.
 */
export class ApprovalReminders {
  constructor(private readonly ctx: DomainContext) {}

  async remindDue(): Promise<string[]> {
    return this.claimDue('reminded_at', `r.approval_due_at - ${WINDOW} / 2`, '', async (em, id) => {
      const asked = await approversToAsk(em, id, this.ctx.admins);
      await enqueue(em, { kind: 'approvalReminder', requestId: id, approverIds: asked });
      await audit(em, this.ctx.clock, SCHEDULER, 'request.reminded', subject(id), {
        approverIds: asked,
      });
    });
  }

  async escalateDue(): Promise<string[]> {
    return this.claimDue(
      'escalated_at',
      `r.approval_due_at - least(interval '1 day', ${WINDOW} / 2)`,
      // With nobody named, the fallback has had the request from the start.
      `AND NOT ${hasNoNamedApprover('r')}`,
      async (em, id) => {
        const approverIds = await fallbackApprovers(em, id, this.ctx.admins);
        await enqueue(em, { kind: 'approvalRequested', requestId: id, approverIds });
        await audit(em, this.ctx.clock, SCHEDULER, 'request.escalated', subject(id), {
          approverIds,
        });
      },
    );
  }

  /** Marks due requests in `column` (conditionally: once each) and tells, in one transaction. */
  private async claimDue(
    column: 'reminded_at' | 'escalated_at',
    dueAt: string,
    extra: string,
    tell: (em: EntityManager, id: string) => Promise<void>,
  ): Promise<string[]> {
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction(async (em) => {
      const due = await rows<{ id: string }>(
        em,
        `UPDATE access_requests SET ${column} = $1
          WHERE id = ANY(ARRAY(
            SELECT r.id FROM access_requests r
             WHERE r.state = 'pendingApproval' AND r.${column} IS NULL
               AND r.approval_due_at > $1 AND ${dueAt} <= $1 ${extra}
             ORDER BY r.approval_due_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED))
          RETURNING id`,
        [now],
      );
      for (const { id } of due) await tell(em, id);
      return due.map((r) => r.id);
    });
  }
}

const subject = (id: string) => ({ type: 'request' as const, id });
