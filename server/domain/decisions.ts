import { z } from 'zod';
import type { AfterCommitNotifier } from '../work/after-commit-notifier';
import type { AccessRequest } from '../../db/entities';
import type { Actor } from './actor';
import { refusalOf } from './approvers';
import type { DomainContext } from './context';
import { loadDecisionContext } from './decision-context';
import { writeDecision, type PostedMessage } from './decision-write';
import { Conflict, Forbidden, Invalid, parseInput } from './errors';
import { text } from './fields';
import { lockPackageRow } from './package-lock';
import { lapseOf } from './policy-settings';
import { MAX_TEXT, type RequestService } from './requests';
import { alreadyDecided } from './request-outcome';
import type { RequestView } from './request-views';

export const decisionSchema = z
  .object({
    decision: z.enum(['approve', 'deny']),
    reason: text(MAX_TEXT).optional(),
  })
  .strict();
export type DecisionInput = z.infer<typeof decisionSchema>;

/**
 * Approve or deny. Only one approver needs to decide and the first decision wins: one
 * conditional statement picks the winner, whatever the number of replicas or clicks. A
 * decision is a read and a write, each one round trip: it is the busiest thing people do.
 */
export class DecisionService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly requests: RequestService,
    private readonly notifier: AfterCommitNotifier,
  ) {}

  async decide(actor: Actor, requestId: string, raw: DecisionInput): Promise<AccessRequest> {
    return (await this.decideAndView(actor, requestId, raw)).request;
  }

  /**
   * The decision, and the decided request's view as its card shows it. `shownOn`: the message
   * the decision was clicked on, which the caller replaces with that view; it is recorded as
   * showing it in the same statement, so that the outbox does not send it again.
   */
  async decideAndView(
    actor: Actor,
    requestId: string,
    raw: DecisionInput,
    shownOn?: PostedMessage,
  ): Promise<{ request: AccessRequest; view: RequestView }> {
    const input = parseInput(decisionSchema, raw);
    // A change to the package between the read and the write (rare: its roles edited) means
    // reading again; a decision that lost to another is told so on the next read.
    for (let attempt = 1; ; attempt++) {
      const decided = await this.attempt(actor, requestId, input, shownOn);
      if (decided) return decided;
      if (attempt === 3) throw new Conflict('The package is being changed; try again in a moment.');
    }
  }

  private async attempt(
    actor: Actor,
    requestId: string,
    input: DecisionInput,
    shownOn: PostedMessage | undefined,
  ): Promise<{ request: AccessRequest; view: RequestView } | null> {
    const approve = input.decision === 'approve';
    const db = this.ctx.db.manager;
    const { request, deciders, roles, packageVersion } = await loadDecisionContext(
      db,
      actor,
      requestId,
    );
    // Rights first: only those who may decide learn who decided before them.
    const refusal = refusalOf(actor, request, deciders, roles);
    if (refusal) throw new Forbidden(refusal);
    const now = this.ctx.clock.now();
    if (
      request.state !== 'pendingApproval' ||
      (request.approvalDueAt && request.approvalDueAt <= now)
    ) {
      throw await alreadyDecided(db, requestId);
    }
    const reason = input.reason || null;
    if (request.policySnapshot?.approverJustificationRequired && !reason) {
      throw new Invalid('reason', 'This policy needs a reason from the approver.');
    }
    const lapse = approve ? lapseOf(request, now) : null;
    if (lapse) await this.cancelLapsed(actor, requestId, request.packageId, lapse);
    const written = await writeDecision(db, this.ctx.clock, {
      notifier: this.notifier,
      actor,
      request,
      packageVersion,
      approve,
      reason,
      shownOn,
    });
    return written && { request: Object.assign(request, written.decided), view: written.view };
  }

  /** The approver's click found the request lapsed: it is canceled, recorded as theirs. */
  private async cancelLapsed(
    actor: Actor,
    requestId: string,
    packageId: string,
    lapse: string,
  ): Promise<never> {
    await this.ctx.db.transaction(async (em) => {
      await lockPackageRow(em, packageId, 'use');
      const canceled = await this.requests.cancelLapsed(em, actor, requestId, lapse);
      if (!canceled.length) throw await alreadyDecided(em, requestId);
    });
    throw new Conflict(lapse, { requestState: 'canceled' });
  }
}
