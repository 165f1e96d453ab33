import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  ACTIVE_STATES_SQL,
  type AccessRequest,
  type Platform,
  type RequestState,
} from '../../db/entities';
import { NOTIFY_AFTER_COMMIT, NOTIFY_SETTING } from '../../db/notify-after-commit';
import type { AfterCommitNotifier } from '../work/after-commit-notifier';
import { systemAfter, type Actor } from './actor';
import { assignmentCreated, assignmentPlan } from './assignments';
import { AUDIT_COLUMN_TYPES, AUDIT_COLUMNS, auditValues } from './audit';
import type { Clock } from './clock';
import { uniquely } from './errors';
import { viewOf, viewSelect, type RequestView } from './request-views';
import { prepared } from './sql';

/** A card posted to a chat: where it is. */
export interface PostedMessage {
  platform: Platform;
  conversationId: string;
  messageId: string;
}

/** What the decision changed on the request row. */
export type Decided = Pick<
  AccessRequest,
  'state' | 'decidedBy' | 'decidedAt' | 'decisionReason' | 'assignmentId' | 'version' | 'updatedAt'
>;

/**
 * Records a decision that its caller has checked, as one statement: atomic without a
 * transaction, one round trip, planned once per connection (its text is the same for every
 * approval, and for every denial). The statement re-checks what may have changed since the
 * caller read it (the request still pending and in time, its package the version read, which
 * it locks like `lockPackage(…, 'use')` before touching the request), so the first decision
 * wins whatever runs at once; it returns null when nothing was written.
 *
 * An approval also creates the assignment, queues its grants, and audits both, exactly as
 * AssignmentService.createFromRequest does inside a transaction. The statement answers with
 * the decided request's view, for the card that replaces the clicked one. Its triggers do not
 * wake the workers: it wakes them itself once the statement has returned, so `em` must not be
 * in a transaction (the statement has committed by then).
 */
export async function writeDecision(
  em: EntityManager,
  clock: Clock,
  args: {
    notifier: AfterCommitNotifier;
    actor: Actor;
    request: AccessRequest;
    packageVersion: string;
    approve: boolean;
    reason: string | null;
    /** The message clicked, recorded as showing the decided card (see shownInReply). */
    shownOn?: PostedMessage;
  },
): Promise<{ decided: Decided; view: RequestView } | null> {
  const { notifier, actor, request, packageVersion, approve, reason, shownOn } = args;
  const now = clock.now();
  const params: unknown[] = [];
  const p = (value: unknown, type?: string) => {
    params.push(value);
    return type ? `$${params.length}::${type}` : `$${params.length}`;
  };
  // One INSERT for the decision's audit rows, so that they are numbered in this order.
  const audited = (...events: unknown[][]) =>
    `audited AS (INSERT INTO audit_events (${AUDIT_COLUMNS})
       SELECT ${AUDIT_COLUMNS.replace(/\w+/g, 'v.$&')} FROM won, (VALUES ${events
         .map(
           (values, n) => `(${n}, ${values.map((v, i) => p(v, AUDIT_COLUMN_TYPES[i])).join(', ')})`,
         )
         .join(', ')}) AS v(n, ${AUDIT_COLUMNS}) ORDER BY v.n)`;
  // Three shapes, each always the same text: a new assignment, an extension of one, a denial.
  const extending = approve && request.type === 'userExtend';
  const shape = !approve ? 'deny' : extending ? 'extend' : 'approve';
  const plan = shape === 'approve' ? assignmentPlan(request, now) : null;
  const assignmentId = plan ? randomUUID() : request.assignmentId;
  const state: RequestState = plan ? plan.state : extending ? 'delivered' : 'denied';
  const active = () => `SELECT 1 FROM assignments
                   WHERE id = ${p(request.assignmentId, 'uuid')} AND state IN ${ACTIVE_STATES_SQL}`;
  const ctes = [
    // Not the version read: the package was deleted or its roles changed since.
    // Notified below, once this has committed (db/notify-after-commit.ts).
    `pkg AS (SELECT id, set_config('${NOTIFY_SETTING}', '${NOTIFY_AFTER_COMMIT}', true)
               FROM access_packages
              WHERE id = ${p(request.packageId)} AND deleted_at IS NULL
                AND xmin = ${p(packageVersion, 'xid')} FOR KEY SHARE)`,
    `won AS (UPDATE access_requests
                SET state = ${p(state)}, decided_by = ${p(actor.userId)}, decided_at = ${p(now)},
                    decision_reason = ${p(reason)}, updated_at = ${p(now)}
                    ${plan ? `, assignment_id = ${p(assignmentId)}` : ''}
              WHERE id = ${p(request.id)} AND state = 'pendingApproval'
                AND approval_due_at > ${p(now)} AND EXISTS (SELECT 1 FROM pkg)
                ${extending ? `AND EXISTS (${active()})` : ''}
              RETURNING *)`,
    `told AS (INSERT INTO outbox_events (kind, subject_id)
              SELECT 'requestDecided', ${p(request.id, 'uuid')} FROM won
              ${extending ? `UNION ALL SELECT 'assignmentChanged', ${p(assignmentId, 'uuid')} FROM won` : ''})`,
  ];
  if (shownOn) {
    ctes.push(
      `shown AS (UPDATE chat_messages m SET version = won.version, updated_at = ${p(now)}
                   FROM won
                  WHERE m.platform = ${p(shownOn.platform)} AND m.conversation_id = ${p(shownOn.conversationId)}
                    AND m.message_id = ${p(shownOn.messageId)} AND m.version < won.version)`,
    );
  }
  if (plan && assignmentId) {
    ctes.push(
      `assignment AS (INSERT INTO assignments
                        (id, user_id, package_id, policy_id, policy_snapshot, state, start_at, end_at)
                      SELECT ${p(assignmentId, 'uuid')}, ${p(request.targetUserId, 'uuid')},
                             ${p(request.packageId, 'uuid')}, ${p(plan.snapshot.policyId, 'uuid')},
                             ${p(plan.snapshot, 'jsonb')}, ${p(plan.state, 'text')},
                             ${p(plan.start, 'timestamptz')}, ${p(plan.end, 'timestamptz')}
                        FROM won RETURNING id, state, end_at)`,
      `grants AS (INSERT INTO fulfillments (assignment_id, resource_role_id, action, state)
                  SELECT a.id, pr.resource_role_id, 'grant', 'pending'
                    FROM assignment a JOIN access_package_resource_roles pr
                      ON pr.package_id = ${p(request.packageId)})`,
    );
  }
  if (extending) {
    ctes.push(
      `extended AS (UPDATE assignments SET end_at = ${p(request.requestedEnd)},
                           extension_prompts = 0, updated_at = ${p(now)}
                     WHERE id = ${p(assignmentId)} AND EXISTS (SELECT 1 FROM won))`,
    );
  }
  const decision = auditValues(
    clock,
    actor,
    approve ? 'request.approved' : 'request.denied',
    { type: 'request', id: request.id },
    { reason },
  );
  const consequence =
    plan && assignmentId
      ? auditValues(
          clock,
          systemAfter(actor),
          'assignment.created',
          { type: 'assignment', id: assignmentId },
          assignmentCreated(request, plan),
        )
      : extending && assignmentId
        ? auditValues(
            clock,
            systemAfter(actor),
            'assignment.extended',
            { type: 'assignment', id: assignmentId },
            { requestId: request.id, to: request.requestedEnd },
          )
        : null;
  ctes.push(consequence ? audited(decision, consequence) : audited(decision));
  const sql = `WITH ${ctes.join(',\n')}
    ${viewSelect('won', plan ? 'assignment' : 'assignments')}`;
  const [row] = await uniquely(
    prepared(em, `decision.${shape}${shownOn ? '.shown' : ''}`, sql, params),
    'This user already has an active assignment to this access package.',
    'assignments_one_active',
  );
  if (!row) return null;
  notifier.notify('outbox', ...(plan ? (['fulfillment'] as const) : []));
  const view = viewOf(row);
  return {
    view,
    decided: {
      state: view.state,
      decidedBy: actor.userId,
      decidedAt: now,
      decisionReason: reason,
      assignmentId: assignmentId ?? null,
      version: view.version,
      updatedAt: now,
    },
  };
}
