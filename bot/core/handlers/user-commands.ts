import { approvalsCard, myAccessCard } from '../../../cards/builders/access-cards';
import { helpCard } from '../../../cards/builders/help';
import { replies } from '../../../cards/builders/replies';
import { notRequestableCard } from '../../../cards/builders/not-requestable';
import { packagesCard } from '../../../cards/builders/packages';
import { myRequestsCard, receiptCard } from '../../../cards/builders/request-cards';
import { requestFormCard } from '../../../cards/builders/request-form';
import type { Command } from '../commands/grammar';
import type { ChatReply } from '../chat';
import { findPackage } from '../find-package';
import type { HandlerContext } from '../handler-context';

type Of<V extends Command['verb']> = Extract<Command, { verb: V }>;

export async function help(ctx: HandlerContext): Promise<ChatReply> {
  return helpCard({ manager: await ctx.services.identities.managesAnything(ctx.actor) });
}

export async function packages(ctx: HandlerContext, c: Of<'packages'>): Promise<ChatReply> {
  const page = await ctx.services.browse.browse(ctx.user, { text: c.text });
  return packagesCard({ items: page.items, text: c.text, nextCursor: page.nextCursor });
}

/** The form for a package, or the reason the user cannot request it. */
export async function formFor(
  ctx: HandlerContext,
  pkg: { id: string; name: string; description: string },
): Promise<ChatReply> {
  const check = await ctx.services.eligibility.check(ctx.user, pkg.id);
  if (!check.requestable) return notRequestableCard(pkg.name, check);
  return requestFormCard({ pkg, policies: check.policies });
}

export async function request(ctx: HandlerContext, c: Of<'request'>): Promise<ChatReply> {
  const found = await findPackage(ctx, c.packageName);
  if (found.kind === 'one') return formFor(ctx, found.pkg);
  if (found.kind === 'several') {
    return packagesCard({ items: found.items, text: c.packageName, nextCursor: null });
  }
  return replies.noSuchRequestablePackage(c.packageName);
}

export async function myRequests(ctx: HandlerContext): Promise<ChatReply> {
  const mine = await ctx.services.requests.listMine(ctx.actor);
  return myRequestsCard(await ctx.services.requestViews.many(mine.map((r) => r.id)));
}

/** The actor's active assignments, each with its package's name. */
export async function myAssignments(ctx: HandlerContext) {
  const mine = await ctx.services.assignments.listMine(ctx.actor);
  const names = new Map<string, string>();
  for (const a of mine) {
    if (!names.has(a.packageId)) {
      names.set(a.packageId, (await ctx.services.packages.get(a.packageId)).name);
    }
  }
  return mine.map((a) => ({ a, name: names.get(a.packageId)! }));
}

export async function access(ctx: HandlerContext): Promise<ChatReply> {
  const mine = await myAssignments(ctx);
  return myAccessCard(
    mine.map(({ a, name }) => ({
      packageName: name,
      state: a.state,
      endAt: a.endAt,
      extensionAllowed: a.policySnapshot.extensionAllowed,
    })),
  );
}

export async function cancel(ctx: HandlerContext, c: Of<'cancel'>): Promise<ChatReply> {
  const found = await ctx.services.requests.getByNumber(ctx.actor, c.number);
  await ctx.services.requests.cancel(ctx.actor, found.id, 'Canceled in chat.');
  return replies.canceled(c.number);
}

export async function approvals(ctx: HandlerContext): Promise<ChatReply> {
  const pending = await ctx.services.requests.pendingFor(ctx.actor);
  const views = await ctx.services.requestViews.many(pending.map((r) => r.id));
  return approvalsCard(views, ctx.clock.now());
}

/** After a submit: the receipt, from the request as stored. */
export async function receipt(
  ctx: HandlerContext,
  requestId: string,
  autoApproved: boolean,
): Promise<ChatReply> {
  const [view] = await ctx.services.requestViews.many([requestId]);
  return receiptCard(view, { autoApproved });
}
