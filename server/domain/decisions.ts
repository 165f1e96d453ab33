import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { AccessPackage, AccessRequest } from '../../db/entities';
import type { Actor } from './actor';
import type { AssignmentService } from './assignments';
import { audit } from './audit';
import { notifySafely, type DomainContext } from './context';
import { Forbidden, Invalid, parseInput } from './errors';
import { rolesOf } from './permissions';
import { MAX_TEXT, type RequestService } from './requests';
import { alreadyDecided } from './request-outcome';
import { rows } from './sql';

export const decisionSchema = z
  .object({
    decision: z.enum(['approve', 'deny']),
    reason: z.string().trim().max(MAX_TEXT).optional(),
  })
  .strict();
export type DecisionInput = z.infer<typeof decisionSchema>;

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
    const assignmentId = await this.ctx.db.transaction(async (em) => {
      const request = await this.requests.get(requestId, em);
      // Rights first: only those who may decide learn who decided before them.
      await this.mayDecide(em, actor, request);
      if (request.state !== 'pendingApproval') throw await alreadyDecided(em, requestId);
      const reason = input.reason || null;
      if (request.policySnapshot?.approverJustificationRequired && !reason) {
        throw new Invalid('reason', 'This policy needs a reason from the approver.');
      }
      const now = this.ctx.clock.now();
      const [won] = await rows<{ id: string }>(
        em,
        `UPDATE access_requests SET state = $2, decided_by = $3, decided_at = $4, decision_reason = $5,
                updated_at = $4
          WHERE id = $1 AND state = 'pendingApproval' AND approval_due_at > $4
          RETURNING id`,
        [requestId, approve ? 'approved' : 'denied', actor.userId, now, reason],
      );
      if (!won) throw await alreadyDecided(em, requestId);
      await audit(
        em,
        this.ctx.clock,
        actor,
        approve ? 'request.approved' : 'request.denied',
        {
          type: 'request',
          id: requestId,
        },
        { reason },
      );
      if (!approve) return null;
      return (await this.assignments().createFromRequest(em, request)).id;
    });
    if (assignmentId) await this.assignments().deliver(assignmentId);
    await notifySafely(this.ctx, { kind: 'requestDecided', requestId });
    return this.requests.get(requestId);
  }

  /**
   * The policy's approvers (as snapshotted on the request, groups as they are now) decide;
   * never the requester. If the requester is the only approver, catalog owners and admins do.
   */
  private async mayDecide(em: EntityManager, actor: Actor, request: AccessRequest) {
    if (actor.userId && actor.userId === request.targetUserId) {
      throw new Forbidden('You cannot decide your own request.');
    }
    const named = await this.requests.namedApprovers(request.id, em);
    if (named.length) {
      if (actor.userId && named.includes(actor.userId)) return;
      throw new Forbidden('Only the approvers named by the policy can decide this request.');
    }
    const pkg = await em.findOneByOrFail(AccessPackage, { id: request.packageId });
    const roles = await rolesOf(em, actor, pkg.catalogId);
    if (roles.has('admin') || roles.has('catalogOwner')) return;
    throw new Forbidden("Only the catalog's owners or an administrator can decide this request.");
  }
}
