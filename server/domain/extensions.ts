import { z } from 'zod';
import {
  AccessRequest,
  ACTIVE_ASSIGNMENT_STATES,
  ACTIVE_STATES_SQL,
  Assignment,
} from '../../db/entities';
import { SCHEDULER, type Actor } from './actor';
import { approversToAsk, keepApprovers } from './approvers';
import { audit, auditEach } from './audit';
import type { DomainContext } from './context';
import { Conflict, Forbidden, NotFound, parseInput, uniquely } from './errors';
import { text } from './fields';
import { enqueue, enqueueEach } from './outbox-events';
import { lockPackage } from './package-lock';
import type { PolicyService } from './policies';
import { DAY } from './clock';
import { policyEnd, snapshotOf } from './policy-settings';
import { MAX_TEXT } from './requests';
import { rows } from './sql';

const BATCH = 500;

export const extendSchema = z.object({ justification: text(MAX_TEXT).optional() }).strict();
export type ExtendInput = z.infer<typeof extendSchema>;

export type Extension =
  { kind: 'extended'; endAt: Date } | { kind: 'requested'; requestId: string };

/**
 * Extending access, as the policy allows (seeds 000 and 003): the holder is prompted 14 days
 * and 1 day before the end; asking extends at once by the policy's duration, or, when the
 * policy wants approval for extensions, becomes a request to its approvers.
 */
export class ExtensionService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly policies: PolicyService,
  ) {}

  /** Prompts due now, once each per end: the 14-day one, then the 1-day one. */
  async promptDue(): Promise<string[]> {
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction(async (em) => {
      const prompted = await rows<{ id: string }>(
        em,
        `UPDATE assignments SET extension_prompts =
                CASE WHEN end_at - interval '1 day' <= $1 THEN 2 ELSE 1 END
          WHERE id = ANY(ARRAY(
            SELECT id FROM assignments
             WHERE state IN ${ACTIVE_STATES_SQL} AND end_at > $1
               AND (policy_snapshot->>'extensionAllowed')::boolean
               AND ((extension_prompts < 1 AND end_at - interval '14 days' <= $1)
                 OR (extension_prompts < 2 AND end_at - interval '1 day' <= $1))
             ORDER BY end_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED))
          RETURNING id`,
        [now],
      );
      const ids = prompted.map((r) => r.id);
      await auditEach(em, this.ctx.clock, SCHEDULER, 'assignment.extensionPrompted', {
        type: 'assignment',
        ids,
      });
      await enqueueEach(em, 'extensionPrompt', ids);
      return ids;
    });
  }

  async extend(actor: Actor, assignmentId: string, raw: ExtendInput = {}): Promise<Extension> {
    const input = parseInput(extendSchema, raw);
    return this.ctx.db.transaction(async (em) => {
      const found = await em.findOneBy(Assignment, { id: assignmentId });
      if (!found) throw new NotFound('Assignment', assignmentId);
      // The package first, as everywhere (package-lock.ts), then the assignment.
      await lockPackage(em, found.packageId, 'use');
      const a = await em.findOneOrFail(Assignment, {
        where: { id: assignmentId },
        lock: { mode: 'pessimistic_write' },
      });
      if (actor.userId !== a.userId) throw new Forbidden('Only its holder can extend access.');
      const snapshot = a.policySnapshot;
      if (!(ACTIVE_ASSIGNMENT_STATES as readonly string[]).includes(a.state)) {
        throw new Conflict('This access has ended; request it again instead.');
      }
      if (!snapshot.extensionAllowed) {
        throw new Conflict(`Policy "${snapshot.name}" does not allow extensions.`);
      }
      const endAt = a.endAt && policyEnd(snapshot.expiration, a.endAt);
      if (!a.endAt || !endAt || endAt <= a.endAt) {
        throw new Conflict(
          a.endAt
            ? `Policy "${snapshot.name}" gives access only until ${a.endAt.toISOString()}.`
            : 'This access does not end: there is nothing to extend.',
        );
      }
      const now = this.ctx.clock.now();
      const previous = await em.findOne(AccessRequest, {
        where: { assignmentId: a.id },
        order: { createdAt: 'DESC' },
      });
      const justification = input.justification ?? previous?.justification ?? null;
      if (!snapshot.extensionRequiresApproval) {
        await em.update(Assignment, a.id, { endAt, extensionPrompts: 0 });
        const record = await em.save(
          em.create(AccessRequest, {
            type: 'userExtend',
            state: 'delivered',
            requestorId: actor.userId,
            targetUserId: a.userId,
            packageId: a.packageId,
            policyId: a.policyId,
            policySnapshot: snapshot,
            justification,
            requestedEnd: endAt,
            assignmentId: a.id,
            decidedAt: now,
            decisionReason: 'Extensions need no approval under this policy.',
          }),
        );
        await audit(em, this.ctx.clock, actor, 'assignment.extended', subject(a.id), {
          requestId: record.id,
          from: a.endAt,
          to: endAt,
        });
        await enqueue(em, { kind: 'assignmentChanged', assignmentId: a.id });
        return { kind: 'extended', endAt };
      }
      // The policy's approvers as they are now decide, as for any new request.
      const policy = await this.policies.get(a.policyId, em);
      const request = await uniquely(
        em.save(
          em.create(AccessRequest, {
            type: 'userExtend',
            state: 'pendingApproval',
            requestorId: actor.userId,
            targetUserId: a.userId,
            packageId: a.packageId,
            policyId: a.policyId,
            policySnapshot: snapshotOf(policy),
            justification,
            requestedEnd: endAt,
            assignmentId: a.id,
            approvalDueAt: new Date(now.getTime() + policy.approvalTimeoutDays * DAY),
          }),
        ),
        'You already have a pending request for this access.',
        'access_requests_one_open',
      );
      await keepApprovers(em, request.id, policy.approvers);
      await audit(em, this.ctx.clock, actor, 'request.submitted', requestSubject(request.id), {
        extends: a.id,
        number: request.number,
      });
      await enqueue(em, {
        kind: 'approvalRequested',
        requestId: request.id,
        approverIds: await approversToAsk(em, request.id, this.ctx.admins),
      });
      return { kind: 'requested', requestId: request.id };
    });
  }
}

const subject = (id: string) => ({ type: 'assignment' as const, id });
const requestSubject = (id: string) => ({ type: 'request' as const, id });
