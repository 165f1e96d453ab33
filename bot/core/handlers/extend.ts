import { replies } from '../../../cards/builders/replies';
import { receiptCard } from '../../../cards/builders/request-cards';
import type { ActionData } from '../../../cards/verbs';
import type { Command } from '../commands/grammar';
import type { ChatReply } from '../chat';
import type { HandlerContext } from '../handler-context';
import { myAssignments } from './user-commands';

/** `extend <package>`: the holder's own access of that name (any case, or a unique part). */
export async function extendCommand(
  ctx: HandlerContext,
  c: Extract<Command, { verb: 'extend' }>,
): Promise<ChatReply> {
  const named = await myAssignments(ctx);
  const wanted = c.packageName.toLowerCase();
  const exact = named.filter((n) => n.name.toLowerCase() === wanted);
  const partial = named.filter((n) => n.name.toLowerCase().includes(wanted));
  const [found] = exact.length === 1 ? exact : partial.length === 1 ? partial : [];
  if (!found) return replies.nothingToExtend(c.packageName);
  return extendAccess(ctx, found.a.id, found.name);
}

/** The Extend button of the prompt card. */
export async function extendButton(
  ctx: HandlerContext,
  d: ActionData<'extend'>,
): Promise<ChatReply> {
  const notice = await ctx.services.assignments.notice(d.assignmentId);
  return extendAccess(ctx, d.assignmentId, notice?.packageName ?? '', d.justification?.trim());
}

async function extendAccess(
  ctx: HandlerContext,
  assignmentId: string,
  packageName: string,
  justification?: string,
): Promise<ChatReply> {
  const done = await ctx.services.extensions.extend(ctx.actor, assignmentId, {
    ...(justification && { justification }),
  });
  if (done.kind === 'extended') return replies.extended(packageName, done.endAt);
  const [view] = await ctx.services.requestViews.many([done.requestId]);
  return receiptCard(view, { autoApproved: false });
}
