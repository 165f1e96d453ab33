import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { AccessPackage, AccessRequest, Catalog, OPEN_STATES_SQL, User } from '../../db/entities';
import { SCHEDULER, systemAfter, type Actor } from './actor';
import { approversToAsk, keepApprovers } from './approvers';
import type { AssignmentService } from './assignments';
import { audit, auditEach } from './audit';
import { DAY } from './clock';
import type { DomainContext } from './context';
import { enqueue, enqueueEach } from './outbox-events';
import { Conflict, Forbidden, Invalid, NotFound, parseInput, uniquely } from './errors';
import { instant, text } from './fields';
import { lockPackage } from './package-lock';
import { authorizeOnPackage } from './permissions';
import { snapshotOf } from './policy-settings';
import type { PolicyService, PolicyView } from './policies';
import { alreadyDecided } from './request-outcome';
import { RequestReads } from './request-reads';
import { activeAssignmentOf, loadRequest, openRequestOf } from './request-rows';
import { requestedPeriod } from './request-schedule';
import { rows } from './sql';

export const MAX_TEXT = 2000;

export const submitRequestSchema = z
  .object({
    packageId: z.uuid(),
    policyId: z.uuid().optional(),
    justification: text(MAX_TEXT).optional(),
    start: instant().optional(),
    end: instant().optional(),
  })
  .strict();
export type SubmitRequest = z.infer<typeof submitRequestSchema>;

export { requestListSchema, type RequestListQuery } from './request-reads';

export interface SubmitResult {
  request: AccessRequest;
  /** True when the policy needs no approval and access is on its way. */
  autoApproved: boolean;
}

/** Submitting and canceling requests; the reads, each checking the reader's rights, come along. */
export class RequestService extends RequestReads {
  constructor(
    ctx: DomainContext,
    private readonly policies: PolicyService,
    private readonly assignments: () => AssignmentService,
  ) {
    super(ctx);
  }

  /**
   * A user asks for a package. Checks every rule of the chosen policy, refuses duplicates,
   * snapshots the policy and its approvers, and auto-approves when the policy says so.
   */
  async submit(actor: Actor, raw: SubmitRequest): Promise<SubmitResult> {
    const input = parseInput(submitRequestSchema, raw);
    const requestorId = actor.userId;
    if (!requestorId) throw new Forbidden('Only a person can request access for themselves.');
    const result = await this.ctx.db.transaction(async (em) => {
      const user = await em.findOneBy(User, { id: requestorId });
      if (!user) throw new NotFound('User', requestorId);
      // Held to commit: the package cannot be deleted while this request is being made.
      const pkg = await lockPackage(em, input.packageId, 'use');
      const catalog = await em.findOneByOrFail(Catalog, { id: pkg.catalogId });
      if (!catalog.enabled) {
        throw new Forbidden(`"${pkg.name}" can't be requested now: its catalog is disabled.`);
      }
      const policy = await this.choosePolicy(em, user, pkg, input.policyId);
      const snapshot = snapshotOf(policy);
      const justification = input.justification || null;
      if (snapshot.requestorJustificationRequired && !justification) {
        throw new Invalid('justification', `"${pkg.name}" needs a business justification.`);
      }
      const now = this.ctx.clock.now();
      const { start, end } = requestedPeriod(input, snapshot, now);
      await this.refuseIfAssigned(em, user.id, pkg);
      await this.refuseIfOpen(em, user.id, pkg);

      const approval = snapshot.approvalRequired;
      // The index refuses a second open request that raced past refuseIfOpen.
      const request = await uniquely(
        em.save(
          em.create(AccessRequest, {
            type: 'userAdd',
            state: approval ? 'pendingApproval' : 'approved',
            requestorId: user.id,
            targetUserId: user.id,
            packageId: pkg.id,
            policyId: policy.id,
            policySnapshot: snapshot,
            justification,
            requestedStart: input.start ? start : null,
            requestedEnd: end,
            approvalDueAt: approval
              ? new Date(now.getTime() + snapshot.approvalTimeoutDays * DAY)
              : null,
            decidedAt: approval ? null : now,
            decisionReason: approval ? null : 'Approval not required by the policy.',
          }),
        ),
        `You already have a pending request for "${pkg.name}".`,
        'access_requests_one_open',
      );
      await keepApprovers(em, request.id, policy.approvers);
      await audit(em, this.ctx.clock, actor, 'request.submitted', subject(request.id), {
        packageId: pkg.id,
        policyId: policy.id,
        number: request.number,
      });
      if (!approval) {
        const system = systemAfter(actor);
        await audit(em, this.ctx.clock, system, 'request.approved', subject(request.id), {
          automatic: true,
        });
        const assignment = await this.assignments().createFromRequest(em, request, system);
        request.assignmentId = assignment.id;
        await enqueue(em, { kind: 'requestDecided', requestId: request.id });
      } else {
        await enqueue(em, {
          kind: 'approvalRequested',
          requestId: request.id,
          approverIds: await approversToAsk(em, request.id, this.ctx.admins),
        });
      }
      return request;
    });

    const request = await loadRequest(this.ctx.db.manager, result.id);
    return { request, autoApproved: result.state !== 'pendingApproval' };
  }

  /** The requester may withdraw an open request; admins, owners and managers may cancel any. */
  async cancel(actor: Actor, requestId: string, reason?: string): Promise<AccessRequest> {
    const request = await this.ctx.db.transaction(async (em) => {
      const request = await loadRequest(em, requestId);
      if (!actor.userId || actor.userId !== request.targetUserId) {
        await authorizeOnPackage(em, actor, 'cancelRequest', request.packageId);
      }
      const canceled = await this.cancelWhere(
        em,
        actor,
        'request.canceled',
        reason ?? null,
        'id = $1',
        [requestId],
      );
      if (!canceled.length) throw await alreadyDecided(em, requestId);
      return loadRequest(em, requestId);
    });
    return request;
  }

  /** Inside a caller's transaction: the access they would extend has ended. */
  async cancelExtensionsOf(
    em: EntityManager,
    actor: Actor,
    assignmentIds: string[],
    reason: string,
  ): Promise<string[]> {
    return this.cancelWhere(
      em,
      actor,
      'request.canceled',
      reason,
      `type = 'userExtend' AND assignment_id = ANY($1)`,
      [assignmentIds],
    );
  }

  /** Inside a caller's transaction: cancels every open request for a package. */
  async cancelOpenForPackage(
    em: EntityManager,
    actor: Actor,
    packageId: string,
    reason: string,
    userId?: string,
  ): Promise<string[]> {
    return this.cancelWhere(
      em,
      actor,
      'request.canceled',
      reason,
      'package_id = $1 AND ($2::uuid IS NULL OR target_user_id = $2)',
      [packageId, userId ?? null],
    );
  }

  /** Inside a caller's transaction: one open request can no longer be granted, and why. */
  async cancelLapsed(em: EntityManager, actor: Actor, requestId: string, reason: string) {
    return this.cancelWhere(em, actor, 'request.lapsed', reason, 'id = $1', [requestId]);
  }

  /** Approvers had their time: cancel, as the seeds say; the user must request again. */
  async cancelTimedOut(): Promise<string[]> {
    const now = this.ctx.clock.now();
    const ids = await this.ctx.db.transaction((em) =>
      this.cancelWhere(
        em,
        SCHEDULER,
        'request.timedOut',
        'No approver decided before the approval deadline.',
        `id = ANY(ARRAY(
           SELECT id FROM access_requests WHERE state = 'pendingApproval' AND approval_due_at <= $1
            ORDER BY approval_due_at LIMIT 1000 FOR UPDATE SKIP LOCKED))`,
        [now],
      ),
    );
    return ids;
  }

  /**
   * Every way a request is canceled: only while open, recording who, when and why, audited.
   * `where` narrows the requests; its placeholders are numbered from $1 over `params`.
   */
  private async cancelWhere(
    em: EntityManager,
    actor: Actor,
    action: string,
    reason: string | null,
    where: string,
    params: unknown[],
  ): Promise<string[]> {
    const n = params.length;
    const canceled = await rows<{ id: string }>(
      em,
      `UPDATE access_requests SET state = 'canceled', canceled_by = $${n + 1}, canceled_at = $${n + 2},
              cancel_reason = $${n + 3}, updated_at = $${n + 2}
        WHERE state IN ${OPEN_STATES_SQL} AND ${where} RETURNING id`,
      [...params, actor.userId, this.ctx.clock.now(), reason?.slice(0, MAX_TEXT) ?? null],
    );
    const ids = canceled.map((r) => r.id);
    await auditEach(em, this.ctx.clock, actor, action, { type: 'request', ids }, { reason });
    await enqueueEach(em, 'requestCanceled', ids);
    return ids;
  }

  private async choosePolicy(
    em: EntityManager,
    user: User,
    pkg: AccessPackage,
    policyId: string | undefined,
  ): Promise<PolicyView> {
    const policies = await this.policies.requestableFor(em, user, pkg.id);
    if (!policies.length) {
      throw new Forbidden(`You can't request "${pkg.name}": none of its policies includes you.`);
    }
    if (policyId) {
      const chosen = policies.find((p) => p.id === policyId);
      if (!chosen)
        throw new Invalid('policyId', `That policy doesn't let you request "${pkg.name}".`);
      return chosen;
    }
    if (policies.length > 1) {
      throw new Invalid('policyId', `"${pkg.name}" has several policies for you; choose one.`, {
        choices: policies.map((p) => ({ id: p.id, name: p.name, description: p.description })),
      });
    }
    return policies[0];
  }

  private async refuseIfOpen(em: EntityManager, userId: string, pkg: AccessPackage) {
    const open = await openRequestOf(em, userId, pkg.id);
    if (open) {
      throw new Conflict(
        `You already have a pending request for "${pkg.name}" (#${open.number}).`,
        { requestNumber: open.number },
      );
    }
  }

  private async refuseIfAssigned(em: EntityManager, userId: string, pkg: AccessPackage) {
    const active = await activeAssignmentOf(em, userId, pkg.id);
    if (active) {
      const until = active.endAt ? ` until ${active.endAt.toISOString()}` : '';
      throw new Conflict(`You already have access to "${pkg.name}"${until}.`, {
        assignmentState: active.state,
      });
    }
  }
}

const subject = (id: string) => ({ type: 'request' as const, id });
