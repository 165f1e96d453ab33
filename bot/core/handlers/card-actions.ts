import { approvalsCard } from '../../../cards/builders/access-cards';
import { replies } from '../../../cards/builders/replies';
import { packagesCard } from '../../../cards/builders/packages';
import { decisionReasonCard } from '../../../cards/builders/decision-reason';
import { approvalCard } from '../../../cards/builders/request-cards';
import { requestFormCard, type FormField } from '../../../cards/builders/request-form';
import type { ActionData } from '../../../cards/verbs';
import { AlreadyDecided, DomainError, Invalid } from '../../../server/domain/errors';
import type { ChatReply } from '../chat';
import { shownInReply, type HandlerContext } from '../handler-context';
import { formFor, myRequests, receipt } from './user-commands';

/** The approval card as this viewer should see it now (pending, or decided by anyone). */
export async function refresh(ctx: HandlerContext, d: ActionData<'refresh'>): Promise<ChatReply> {
  const view = await ctx.services.requestViews.get(ctx.actor, d.requestId);
  return approvalCard(view, { now: ctx.clock.now() });
}

/**
 * Approve or deny from the card. The first decision wins; a later click (or a click on a
 * stale card) gets the card as it now stands, with who decided. The clicker's card is
 * replaced in the reply. When the policy wants a reason and none came, the reason is asked
 * for (a dialog where the platform has them), and its submission decides here again.
 */
export async function decide(
  ctx: HandlerContext,
  decision: 'approve' | 'deny',
  d: ActionData<'approve'>,
): Promise<ChatReply> {
  try {
    const clicked = ctx.turn.clicked && { platform: ctx.turn.user.platform, ...ctx.turn.clicked };
    // The clicked card is recorded as showing the decision by the statement that makes it.
    const { view } = await ctx.services.decisions.decideAndView(
      ctx.actor,
      d.requestId,
      { decision, ...(d.reason?.trim() && { reason: d.reason.trim() }) },
      clicked,
    );
    return approvalCard(view, { now: ctx.clock.now() });
  } catch (err) {
    if (err instanceof Invalid && err.field === 'reason') {
      // Only after the rights and state checks: the asker may decide, and it still waits.
      const pending = await ctx.services.requestViews.one(d.requestId);
      return decisionReasonCard(
        pending,
        decision,
        d.reason === undefined ? undefined : err.message,
      );
    }
    if (!(err instanceof AlreadyDecided)) throw err;
  }
  // Too late: the card shows who decided first, and the clicker is told so where possible.
  // AlreadyDecided comes only after the rights check: the clicker may see the request.
  const view = await ctx.services.requestViews.one(d.requestId);
  await shownInReply(ctx, view.version);
  return {
    ...approvalCard(view, { now: ctx.clock.now() }),
    notice: replies.alreadyDecided(view),
  };
}

export async function packagesPage(
  ctx: HandlerContext,
  d: ActionData<'packagesPage'> | ActionData<'packagesSearch'>,
): Promise<ChatReply> {
  const text = d.text?.trim() || undefined;
  const cursor = 'cursor' in d ? d.cursor : undefined;
  const page = await ctx.services.browse.browse(ctx.user, { text, cursor });
  return packagesCard({ items: page.items, text, nextCursor: page.nextCursor });
}

export async function requestOpen(
  ctx: HandlerContext,
  d: ActionData<'requestOpen'>,
): Promise<ChatReply> {
  const pkg = await ctx.services.packages.get(d.packageId);
  return formFor(ctx, pkg);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FORM_FIELDS = new Set<FormField>(['policyId', 'justification', 'start', 'end']);

/** Submit the form; what the domain refuses comes back on the form, beside its field. */
export async function requestSubmit(
  ctx: HandlerContext,
  d: ActionData<'requestSubmit'>,
): Promise<ChatReply> {
  const values = {
    policyId: d.policyId ?? '',
    justification: d.justification ?? '',
    start: d.start ?? '',
    end: d.end ?? '',
  };
  const date = (v: string) => (v ? new Date(v.length === 10 ? `${v}T00:00:00Z` : v) : undefined);
  try {
    const { request, autoApproved } = await ctx.services.requests.submit(ctx.actor, {
      packageId: d.packageId,
      ...(values.policyId && { policyId: values.policyId }),
      ...(values.justification.trim() && { justification: values.justification }),
      ...(values.start && { start: date(values.start) }),
      ...(values.end && { end: date(values.end) }),
    });
    return receipt(ctx, request.id, autoApproved);
  } catch (err) {
    if (!(err instanceof DomainError) || err.code !== 'invalid') throw err;
    const field = String(err.details.field ?? '');
    const check = await ctx.services.eligibility.check(ctx.user, d.packageId);
    const pkg = await ctx.services.packages.get(d.packageId);
    return requestFormCard({
      pkg,
      policies: check.requestable ? check.policies : [],
      values,
      errors: { [FORM_FIELDS.has(field as FormField) ? field : 'general']: err.message },
    });
  }
}

export async function requestCancel(
  ctx: HandlerContext,
  d: ActionData<'requestCancel'>,
): Promise<ChatReply> {
  await ctx.services.requests.cancel(ctx.actor, d.requestId, 'Canceled in chat.');
  return myRequests(ctx);
}

/**
 * Several requests decided at once, each on its own (first decision wins for each, each
 * audited): the list comes back with what happened to each one.
 */
export async function approvalsDecide(
  ctx: HandlerContext,
  d: ActionData<'approvalsDecide'>,
): Promise<ChatReply> {
  const selected = Object.entries(d)
    .filter(([key, value]) => key.startsWith('select-') && value === 'true')
    .map(([key]) => key.slice('select-'.length))
    // Keys come from the client: only ids of the right form reach the domain.
    .filter((id) => UUID.test(id));
  if (!selected.length) return replies.selectFirst();
  const results: string[] = [];
  for (const requestId of selected.slice(0, 50)) {
    try {
      const decided = await ctx.services.decisions.decide(ctx.actor, requestId, {
        decision: d.decision,
        ...(d.reason?.trim() && { reason: d.reason.trim() }),
      });
      results.push(replies.decidedInBulk(decided.number, d.decision));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      results.push(err.message);
    }
  }
  const pending = await ctx.services.requests.pendingFor(ctx.actor);
  const views = await ctx.services.requestViews.many(pending.map((r) => r.id));
  return approvalsCard(views, ctx.clock.now(), results);
}
