import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import {
  AccessPackage,
  AccessRequest,
  ACTIVE_STATES_SQL,
  Catalog,
  OPEN_STATES_SQL,
  REQUEST_STATES,
  User,
} from '../../db/entities';
import { SYSTEM, type Actor } from './actor';
import type { AssignmentService } from './assignments';
import { audit } from './audit';
import { DAY } from './clock';
import { notifySafely, type DomainContext } from './context';
import { Conflict, Forbidden, Invalid, NotFound, parseInput, uniquely } from './errors';
import { authorizeOnPackage } from './permissions';
import { policyEnd, snapshotOf, type PolicySnapshot } from './policy-settings';
import type { PolicyService, PolicyView } from './policies';
import { alreadyDecided } from './request-outcome';
import { rows } from './sql';

export const MAX_TEXT = 2000;
// Date pickers send the start of today; accept a start up to a day back as "now".
const START_SKEW_MS = DAY;

export const submitRequestSchema = z
  .object({
    packageId: z.uuid(),
    policyId: z.uuid().optional(),
    justification: z.string().trim().max(MAX_TEXT).optional(),
    start: z.coerce.date().optional(),
    end: z.coerce.date().optional(),
  })
  .strict();
export type SubmitRequest = z.infer<typeof submitRequestSchema>;

export const requestListSchema = z.object({
  packageId: z.uuid().optional(),
  state: z.enum(REQUEST_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type RequestListQuery = z.input<typeof requestListSchema>;

export interface SubmitResult {
  request: AccessRequest;
  /** True when the policy needs no approval and access is on its way. */
  autoApproved: boolean;
}

export class RequestService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly policies: PolicyService,
    private readonly assignments: () => AssignmentService,
  ) {}

  async get(id: string, em: EntityManager = this.ctx.db.manager): Promise<AccessRequest> {
    const request = await em.findOneBy(AccessRequest, { id });
    if (!request) throw new NotFound('Request', id);
    return request;
  }

  async getByNumber(number: number): Promise<AccessRequest> {
    const request = await this.ctx.db.manager.findOneBy(AccessRequest, { number });
    if (!request) throw new NotFound('Request', `#${number}`);
    return request;
  }

  /**
   * A user asks for a package. Checks every rule of the chosen policy, refuses duplicates,
   * snapshots the policy and its approvers, and auto-approves when the policy says so.
   */
  async submit(requestorId: string, raw: SubmitRequest): Promise<SubmitResult> {
    const input = parseInput(submitRequestSchema, raw);
    const result = await this.ctx.db.transaction(async (em) => {
      const user = await em.findOneBy(User, { id: requestorId });
      if (!user) throw new NotFound('User', requestorId);
      const pkg = await em.findOneBy(AccessPackage, { id: input.packageId });
      if (!pkg || pkg.deletedAt) throw new NotFound('Access package', input.packageId);
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
      const { start, end } = this.schedule(input, snapshot, now);
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
      for (const a of policy.approvers) {
        await em.query(
          `INSERT INTO request_approvers (request_id, user_id, group_id) VALUES ($1, $2, $3)`,
          [request.id, 'userId' in a ? a.userId : null, 'groupId' in a ? a.groupId : null],
        );
      }
      const actor: Actor = { userId: user.id, label: user.email, isAdmin: false };
      await audit(em, this.ctx.clock, actor, 'request.submitted', subject(request.id), {
        packageId: pkg.id,
        policyId: policy.id,
        number: request.number,
      });
      if (!approval) {
        await audit(em, this.ctx.clock, SYSTEM, 'request.approved', subject(request.id), {
          automatic: true,
        });
        request.assignmentId = (await this.assignments().createFromRequest(em, request)).id;
      }
      return request;
    });

    if (result.state === 'pendingApproval') {
      await notifySafely(this.ctx, {
        kind: 'approvalRequested',
        requestId: result.id,
        approverIds: await this.approversToNotify(result.id),
      });
    } else {
      await this.assignments().deliver(result.assignmentId!);
      await notifySafely(this.ctx, { kind: 'requestDecided', requestId: result.id });
    }
    return { request: await this.get(result.id), autoApproved: result.state !== 'pendingApproval' };
  }

  /** The requester may withdraw an open request; admins, owners and managers may cancel any. */
  async cancel(actor: Actor, requestId: string, reason?: string): Promise<AccessRequest> {
    const request = await this.ctx.db.transaction(async (em) => {
      const request = await this.get(requestId, em);
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
      return this.get(requestId, em);
    });
    await notifySafely(this.ctx, { kind: 'requestCanceled', requestId });
    return request;
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

  async announceCanceled(requestIds: string[]) {
    for (const requestId of requestIds)
      await notifySafely(this.ctx, { kind: 'requestCanceled', requestId });
  }

  /** Approvers had their time: cancel, as the seeds say; the user must request again. */
  async cancelTimedOut(): Promise<string[]> {
    const now = this.ctx.clock.now();
    const ids = await this.ctx.db.transaction((em) =>
      this.cancelWhere(
        em,
        SYSTEM,
        'request.timedOut',
        'No approver decided before the approval deadline.',
        `id IN (SELECT id FROM access_requests WHERE state = 'pendingApproval' AND approval_due_at <= $1
                 ORDER BY approval_due_at LIMIT 1000 FOR UPDATE SKIP LOCKED)`,
        [now],
      ),
    );
    await this.announceCanceled(ids);
    return ids;
  }

  async list(actor: Actor, query: RequestListQuery): Promise<AccessRequest[]> {
    const q = requestListSchema.parse(query);
    if (q.packageId) {
      await authorizeOnPackage(this.ctx.db.manager, actor, 'viewRequests', q.packageId);
    } else if (!actor.isAdmin) {
      throw new Forbidden('Name an access package to list its requests.');
    }
    return this.ctx.db.manager.find(AccessRequest, {
      where: {
        ...(q.packageId && { packageId: q.packageId }),
        ...(q.state && { state: q.state }),
      },
      order: { createdAt: 'DESC', number: 'DESC' },
      take: q.limit,
      skip: q.offset,
    });
  }

  /** A user's own requests, newest first. */
  listMine(userId: string, limit = 20): Promise<AccessRequest[]> {
    return this.ctx.db.manager.find(AccessRequest, {
      where: { targetUserId: userId },
      order: { createdAt: 'DESC', number: 'DESC' },
      take: limit,
    });
  }

  /** Requests waiting for this user's decision (directly or through a group). */
  async pendingFor(userId: string): Promise<AccessRequest[]> {
    const waiting: Array<{ id: string }> = await this.ctx.db.query(
      `SELECT DISTINCT r.id, r.created_at FROM access_requests r JOIN request_approvers ra ON ra.request_id = r.id
        WHERE r.state = 'pendingApproval' AND r.target_user_id <> $1
          AND (ra.user_id = $1 OR ra.group_id IN (SELECT group_id FROM group_members WHERE user_id = $1))
        ORDER BY r.created_at`,
      [userId],
    );
    return waiting.length
      ? this.ctx.db.manager
          .createQueryBuilder(AccessRequest, 'r')
          .where('r.id IN (:...ids)', { ids: waiting.map((r) => r.id) })
          .orderBy('r.created_at')
          .getMany()
      : [];
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
    for (const { id } of canceled) {
      await audit(em, this.ctx.clock, actor, action, subject(id), { reason });
    }
    return canceled.map((r) => r.id);
  }

  /** The policy's approvers as snapshotted on the request, groups expanded, minus the requester. */
  async namedApprovers(
    requestId: string,
    em: EntityManager = this.ctx.db.manager,
  ): Promise<string[]> {
    const named: Array<{ id: string }> = await em.query(
      `SELECT ra.user_id AS id FROM request_approvers ra WHERE ra.request_id = $1 AND ra.user_id IS NOT NULL
       UNION
       SELECT gm.user_id FROM request_approvers ra JOIN group_members gm ON gm.group_id = ra.group_id
        WHERE ra.request_id = $1
       EXCEPT
       SELECT target_user_id FROM access_requests WHERE id = $1`,
      [requestId],
    );
    return named.map((r) => r.id).sort();
  }

  /**
   * Who is asked to decide: the named approvers; when the requester is the only one, the
   * catalog's owners and the administrators step in.
   */
  async approversToNotify(
    requestId: string,
    em: EntityManager = this.ctx.db.manager,
  ): Promise<string[]> {
    const named = await this.namedApprovers(requestId, em);
    if (named.length) return named;
    const fallback: Array<{ id: string }> = await em.query(
      `SELECT cr.user_id AS id FROM access_requests r JOIN access_packages p ON p.id = r.package_id
         JOIN catalog_roles cr ON cr.catalog_id = p.catalog_id AND cr.role = 'catalogOwner'
        WHERE r.id = $1
       UNION
       SELECT id FROM users WHERE email = ANY($2)
       EXCEPT
       SELECT target_user_id FROM access_requests WHERE id = $1`,
      [requestId, [...this.ctx.admins]],
    );
    return fallback.map((r) => r.id).sort();
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

  /** The requested period, when the policy lets the requester choose one, within its limit. */
  private schedule(input: SubmitRequest, snapshot: PolicySnapshot, now: Date) {
    if ((input.start || input.end) && !snapshot.allowCustomSchedule) {
      throw new Invalid(
        input.start ? 'start' : 'end',
        `Policy "${snapshot.name}" doesn't let you choose a period.`,
      );
    }
    if (input.start && input.start.getTime() < now.getTime() - START_SKEW_MS) {
      throw new Invalid('start', 'The start date is in the past.');
    }
    const start = input.start && input.start > now ? input.start : now;
    const end = input.end ?? null;
    if (end && end <= start) throw new Invalid('end', 'The end must come after the start.');
    const limit = policyEnd(snapshot.expiration, start);
    if (end && limit && end > limit) {
      throw new Invalid(
        'end',
        `Policy "${snapshot.name}" allows access until ${limit.toISOString()} at the latest.`,
      );
    }
    return { start, end };
  }

  private async refuseIfOpen(em: EntityManager, userId: string, pkg: AccessPackage) {
    const [open] = await em.query(
      `SELECT number FROM access_requests WHERE target_user_id = $1 AND package_id = $2
          AND state IN ${OPEN_STATES_SQL} AND type IN ('userAdd', 'userExtend')`,
      [userId, pkg.id],
    );
    if (open) {
      throw new Conflict(
        `You already have a pending request for "${pkg.name}" (#${open.number}).`,
        {
          requestNumber: Number(open.number),
        },
      );
    }
  }

  private async refuseIfAssigned(em: EntityManager, userId: string, pkg: AccessPackage) {
    const [active] = await em.query(
      `SELECT state, end_at FROM assignments WHERE user_id = $1 AND package_id = $2
          AND state IN ${ACTIVE_STATES_SQL}`,
      [userId, pkg.id],
    );
    if (active) {
      const until = active.end_at ? ` until ${new Date(active.end_at).toISOString()}` : '';
      throw new Conflict(`You already have access to "${pkg.name}"${until}.`, {
        assignmentState: active.state,
      });
    }
  }
}

const subject = (id: string) => ({ type: 'request' as const, id });
