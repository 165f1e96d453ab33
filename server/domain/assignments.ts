import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { instant, text } from './fields';
import {
  AccessRequest,
  Assignment,
  ACTIVE_STATES_SQL,
  Policy,
  User,
  type AssignmentState,
} from '../../db/entities';
import { SCHEDULER, type Actor } from './actor';
import { audit, auditEach } from './audit';
import type { DomainContext } from './context';
import { enqueue, enqueueEach } from './outbox-events';
import { Conflict, Invalid, NotFound, parseInput, uniquely } from './errors';
import { queueForAssignment, queueRevocations } from './fulfillment-queue';
import { lockPackage } from './package-lock';
import { authorize, authorizeOnPackage } from './permissions';
import { accessStart, assignmentEnd, policyEnd, snapshotOf } from './policy-settings';
import type { PolicyService } from './policies';
import { MAX_TEXT, type RequestService } from './requests';
import { rows } from './sql';
import { AssignmentReads } from './assignment-reads';

export { assignmentListSchema, type AssignmentListQuery } from './assignment-reads';

const BATCH = 500;

export const directAssignmentSchema = z
  .object({
    userId: z.uuid(),
    packageId: z.uuid(),
    policyId: z.uuid(),
    start: instant().optional(),
    end: instant().optional(),
    reason: text(MAX_TEXT).optional(),
  })
  .strict();
export type DirectAssignment = z.infer<typeof directAssignmentSchema>;

export class AssignmentService extends AssignmentReads {
  constructor(
    ctx: DomainContext,
    private readonly policies: PolicyService,
    private readonly requests: () => RequestService,
  ) {
    super(ctx);
  }

  /**
   * Inside the approving transaction: the assignment for an approved request, starting now or
   * at the requested start, ending as the request or the policy says, one fulfillment row per
   * resource role.
   */
  async createFromRequest(
    em: EntityManager,
    request: AccessRequest,
    actor: Actor,
  ): Promise<Assignment> {
    const plan = assignmentPlan(request, this.ctx.clock.now());
    const assignment = await uniquely(
      em.save(
        em.create(Assignment, {
          userId: request.targetUserId,
          packageId: request.packageId,
          policyId: plan.snapshot.policyId,
          policySnapshot: plan.snapshot,
          state: plan.state,
          startAt: plan.start,
          endAt: plan.end,
        }),
      ),
      'This user already has an active assignment to this access package.',
      'assignments_one_active',
    );
    await queueForAssignment(em, assignment.id, request.packageId);
    await em.update(AccessRequest, request.id, { assignmentId: assignment.id, state: plan.state });
    await audit(
      em,
      this.ctx.clock,
      actor,
      'assignment.created',
      subject(assignment.id),
      assignmentCreated(request, plan),
    );
    return assignment;
  }

  /**
   * An admin, catalog owner or package manager assigns a user directly under one of the
   * package's policies. If no end is given, the policy's expiration applies.
   */
  async assignDirectly(actor: Actor, raw: DirectAssignment): Promise<Assignment> {
    const input = parseInput(directAssignmentSchema, raw);
    const assignmentId = await this.ctx.db.transaction(async (em) => {
      // Held to commit: the package cannot be deleted under this assignment.
      const pkg = await lockPackage(em, input.packageId, 'use');
      await authorize(em, actor, 'directAssign', pkg.catalogId);
      if (!(await em.existsBy(User, { id: input.userId })))
        throw new NotFound('User', input.userId);
      const policy = await em.findOneBy(Policy, { id: input.policyId });
      if (!policy || policy.deletedAt || policy.packageId !== pkg.id) {
        throw new Invalid('policyId', `That policy does not belong to "${pkg.name}".`);
      }
      const now = this.ctx.clock.now();
      const start = accessStart(input.start ?? null, now);
      if (input.end && input.end <= start)
        throw new Invalid('end', 'The end must come after the start.');
      const view = await this.policies.get(policy.id, em);
      const policyUntil = policyEnd(view.expiration, start);
      if (!input.end && policyUntil && policyUntil <= start) {
        throw new Invalid(
          'end',
          `Policy "${view.name}" gives access only until ${policyUntil.toISOString()}; choose an end date or another policy.`,
        );
      }
      const superseded = await this.requests().cancelOpenForPackage(
        em,
        actor,
        pkg.id,
        'Superseded by a direct assignment.',
        input.userId,
      );
      const request = await em.save(
        em.create(AccessRequest, {
          type: 'adminAdd',
          state: 'approved',
          requestorId: actor.userId,
          targetUserId: input.userId,
          packageId: pkg.id,
          policyId: policy.id,
          policySnapshot: snapshotOf(view),
          justification: input.reason ?? null,
          requestedStart: input.start ? start : null,
          requestedEnd: input.end ?? null,
          decidedBy: actor.userId,
          decidedAt: now,
          decisionReason: input.reason ?? null,
        }),
      );
      await audit(
        em,
        this.ctx.clock,
        actor,
        'assignment.assignedDirectly',
        { type: 'request', id: request.id },
        {
          userId: input.userId,
          packageId: pkg.id,
          policyId: policy.id,
          reason: input.reason,
          supersededRequests: superseded,
        },
      );
      const { id } = await this.createFromRequest(em, request, actor);
      await enqueue(em, { kind: 'assignmentChanged', assignmentId: id });
      return id;
    });
    return this.ctx.db.manager.findOneByOrFail(Assignment, { id: assignmentId });
  }

  /** Ends an assignment now and revokes what it granted. */
  async remove(actor: Actor, assignmentId: string, reason?: string): Promise<Assignment> {
    await this.ctx.db.transaction(async (em) => {
      const assignment = await em.findOneBy(Assignment, { id: assignmentId });
      if (!assignment) throw new NotFound('Assignment', assignmentId);
      await authorizeOnPackage(em, actor, 'directAssign', assignment.packageId);
      const now = this.ctx.clock.now();
      const [ended] = await rows(
        em,
        `UPDATE assignments SET state = 'removed', ended_at = $2, end_reason = $3, updated_at = $2
          WHERE id = $1 AND state IN ${ACTIVE_STATES_SQL} RETURNING id`,
        [assignmentId, now, reason?.slice(0, MAX_TEXT) ?? 'Removed by an administrator.'],
      );
      if (!ended) throw new Conflict(`This assignment has already ended (${assignment.state}).`);
      const request = await em.save(
        em.create(AccessRequest, {
          type: 'adminRemove',
          state: 'delivered',
          requestorId: actor.userId,
          targetUserId: assignment.userId,
          packageId: assignment.packageId,
          policyId: assignment.policyId,
          assignmentId,
          justification: reason ?? null,
          decidedBy: actor.userId,
          decidedAt: now,
        }),
      );
      await queueRevocations(em, { assignmentIds: [assignmentId] });
      await this.requests().cancelExtensionsOf(
        em,
        actor,
        [assignmentId],
        'The access has been removed.',
      );
      await audit(em, this.ctx.clock, actor, 'assignment.removed', subject(assignmentId), {
        requestId: request.id,
        reason,
      });
      await enqueue(em, { kind: 'assignmentChanged', assignmentId });
      await enqueue(em, { kind: 'assignmentEnded', assignmentId });
    });
    return this.ctx.db.manager.findOneByOrFail(Assignment, { id: assignmentId });
  }

  /** Ends every assignment whose end has passed, and revokes its access. */
  async expireDue(): Promise<string[]> {
    const now = this.ctx.clock.now();
    const ids = await this.ctx.db.transaction(async (em) => {
      const expired = await rows<{ id: string }>(
        em,
        // `= ANY(ARRAY(…))`, not `IN (…)` or a join: with those the planner scanned the whole
        // table for each batch. Every lifecycle batch below picks its rows this way.
        `UPDATE assignments SET state = 'expired', ended_at = $1, end_reason = 'Expired.', updated_at = $1
          WHERE id = ANY(ARRAY(
            SELECT id FROM assignments WHERE end_at <= $1 AND state IN ${ACTIVE_STATES_SQL}
             ORDER BY end_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED))
          RETURNING id`,
        [now],
      );
      const ids = expired.map((r) => r.id);
      if (ids.length) {
        await queueRevocations(em, { assignmentIds: ids });
        await this.requests().cancelExtensionsOf(em, SCHEDULER, ids, 'The access has expired.');
      }
      await auditEach(em, this.ctx.clock, SCHEDULER, 'assignment.expired', {
        type: 'assignment',
        ids,
      });
      await enqueueEach(em, 'assignmentChanged', ids);
      await enqueueEach(em, 'assignmentEnded', ids);
      return ids;
    });
    return ids;
  }

  /**
   * Starts scheduled assignments whose start has come. One whose end has also passed (the
   * scheduler was down) is left to expireDue: it never granted anything, so nothing is granted.
   */
  async startDue(): Promise<string[]> {
    const now = this.ctx.clock.now();
    const ids = await this.ctx.db.transaction(async (em) => {
      const started = await rows<{ id: string }>(
        em,
        `UPDATE assignments SET state = 'delivering', updated_at = $1
          WHERE id = ANY(ARRAY(
            SELECT id FROM assignments WHERE state = 'scheduled' AND start_at <= $1
               AND (end_at IS NULL OR end_at > $1)
             ORDER BY start_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED))
          RETURNING id`,
        [now],
      );
      const ids = started.map((r) => r.id);
      await em.query(
        `UPDATE access_requests SET state = 'delivering', updated_at = $2
          WHERE assignment_id = ANY($1) AND state = 'scheduled'`,
        [ids, now],
      );
      await auditEach(em, this.ctx.clock, SCHEDULER, 'assignment.started', {
        type: 'assignment',
        ids,
      });
      return ids;
    });
    return ids;
  }
}

const subject = (id: string) => ({ type: 'assignment' as const, id });

/** What approving the request now gives: from when, until when, and so in which state. */
export function assignmentPlan(request: AccessRequest, now: Date) {
  const snapshot = request.policySnapshot!;
  const start = accessStart(request.requestedStart, now);
  const state: AssignmentState = start > now ? 'scheduled' : 'delivering';
  return {
    snapshot,
    start,
    state,
    end: assignmentEnd(snapshot.expiration, start, request.requestedEnd),
  };
}

/** The audit details of an assignment made from a request. */
export const assignmentCreated = (
  request: AccessRequest,
  plan: ReturnType<typeof assignmentPlan>,
) => ({
  requestId: request.id,
  userId: request.targetUserId,
  packageId: request.packageId,
  startAt: plan.start,
  endAt: plan.end,
});
