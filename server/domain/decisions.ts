import { z } from 'zod';
import type { AccessRequest } from '../../db/entities';
import { systemAfter, type Actor } from './actor';
import { decisionRefusal } from './approvers';
import type { AssignmentService } from './assignments';
import { audit } from './audit';
import type { DomainContext } from './context';
import { enqueue } from './outbox-events';
import { Conflict, Forbidden, Invalid, parseInput } from './errors';
import { text } from './fields';
import { lockPackageRow } from './package-lock';
import { lapseOf } from './policy-settings';
import { MAX_TEXT, type RequestService } from './requests';
import { alreadyDecided } from './request-outcome';
import { loadRequest } from './request-rows';
import { rows } from './sql';

export const decisionSchema = z
  .object({
    decision: z.enum(['approve', 'deny']),
    reason: text(MAX_TEXT).optional(),
  })
  .strict();
export type DecisionInput = z.infer<typeof decisionSchema>;

type Outcome =
  { kind: 'decided'; assignmentId: string | null } | { kind: 'lapsed'; message: string };

/**
 * Approve or deny. Only one approver needs to decide and the first decision wins: a single
 * conditional UPDATE picks the winner, whatever the number of replicas or clicks.
 */
export class DecisionService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly requests: RequestService,
    private readonly assignments: () => AssignmentService,
  ) {}

  async decide(actor: Actor, requestId: string, raw: DecisionInput): Promise<AccessRequest> {
    const input = parseInput(decisionSchema, raw);
    const approve = input.decision === 'approve';
    const outcome = await this.ctx.db.transaction(async (em): Promise<Outcome> => {
      const request = await loadRequest(em, requestId);
      // Before the request row is written: a delete of the package waits for this decision,
      // or this decision for the delete (which cancels the request, so nothing is granted).
      const pkg = (await lockPackageRow(em, request.packageId, 'use'))!;
      // Rights first: only those who may decide learn who decided before them.
      const refusal = await decisionRefusal(em, actor, request, pkg.catalogId);
      if (refusal) throw new Forbidden(refusal);
      if (request.state !== 'pendingApproval') throw await alreadyDecided(em, requestId);
      const reason = input.reason || null;
      if (request.policySnapshot?.approverJustificationRequired && !reason) {
        throw new Invalid('reason', 'This policy needs a reason from the approver.');
      }
      const now = this.ctx.clock.now();
      if (request.approvalDueAt && request.approvalDueAt <= now) {
        throw await alreadyDecided(em, requestId);
      }
      if (approve) {
        const lapse = lapseOf(request, now);
        if (lapse) {
          // Recorded as the approver's: their click found the request lapsed.
          const canceled = await this.requests.cancelLapsed(em, actor, requestId, lapse);
          if (!canceled.length) throw await alreadyDecided(em, requestId);
          return { kind: 'lapsed', message: lapse };
        }
      }
      const [won] = await rows<{ id: string }>(
        em,
        `UPDATE access_requests SET state = $2, decided_by = $3, decided_at = $4, decision_reason = $5,
                updated_at = $4
          WHERE id = $1 AND state = 'pendingApproval' AND approval_due_at > $4
          RETURNING id`,
        [requestId, approve ? 'approved' : 'denied', actor.userId, now, reason],
      );
      if (!won) throw await alreadyDecided(em, requestId);
      const subject = { type: 'request' as const, id: requestId };
      await audit(
        em,
        this.ctx.clock,
        actor,
        approve ? 'request.approved' : 'request.denied',
        subject,
        {
          reason,
        },
      );
      await enqueue(em, { kind: 'requestDecided', requestId });
      if (!approve) return { kind: 'decided', assignmentId: null };
      const assignment = await this.assignments().createFromRequest(
        em,
        request,
        systemAfter(actor),
      );
      return { kind: 'decided', assignmentId: assignment.id };
    });
    if (outcome.kind === 'lapsed') {
      throw new Conflict(outcome.message, { requestState: 'canceled' });
    }
    return loadRequest(this.ctx.db.manager, requestId);
  }
}
