import { adminResultsCard } from '../../../cards/builders/access-cards';
import { messageCard } from '../../../cards/builders/message';
import { packagesCard } from '../../../cards/builders/packages';
import { assignmentStateLabel, day, number, requestStateLabel, when } from '../../../cards/texts';
import type { User } from '../../../db/entities';
import { ACTIVE_ASSIGNMENT_STATES } from '../../../db/entities';
import { DAY } from '../../../server/domain/clock';
import type { Command, UserRef } from '../commands/grammar';
import type { ChatReply } from '../chat';
import { findManagedPackage } from '../find-package';
import type { HandlerContext } from '../handler-context';

type Of<V extends Command['verb']> = Extract<Command, { verb: V }>;
const SHOWN = 10;

/** The package a manager named, or the reply that says why there is not exactly one. */
async function managed(ctx: HandlerContext, name: string) {
  const found = await findManagedPackage(ctx, name);
  if (found.kind === 'one') return { pkg: found.pkg };
  return {
    reply:
      found.kind === 'several'
        ? packagesCard({ items: found.items, text: name, nextCursor: null })
        : messageCard(`There is no access package called "${name}".`, { tone: 'warning' }),
  };
}

/** A person named by email or mention; a mention is someone who has used Accessbot before. */
async function person(ctx: HandlerContext, ref: UserRef): Promise<User | ChatReply> {
  const user =
    ref.kind === 'email'
      ? await ctx.services.directory.findUserByEmail(ref.email)
      : await ctx.services.identities.recognise(
          ctx.turn.user.platform,
          ctx.turn.user.tenantId,
          ref.platformUserId,
        );
  if (user) return user;
  const who = ref.kind === 'email' ? ref.email : (ref.name ?? 'That person');
  return messageCard(
    `I don't know ${who} yet: name them by email, or ask them to say hello to Accessbot first.`,
    {
      tone: 'warning',
    },
  );
}
const isUser = (u: User | ChatReply): u is User => 'email' in u;

export async function assign(ctx: HandlerContext, c: Of<'assign'>): Promise<ChatReply> {
  const target = await person(ctx, c.user);
  if (!isUser(target)) return target;
  const { pkg, reply } = await managed(ctx, c.packageName);
  if (!pkg) return reply;
  const policies = await ctx.services.policies.listForPackage(pkg.id);
  const chosen = c.policy
    ? policies.filter((p) => p.name.toLowerCase() === c.policy!.toLowerCase())
    : policies.length === 1
      ? policies
      : [];
  if (chosen.length !== 1) {
    return messageCard(
      `Choose a policy with --policy: ${policies.map((p) => `"${p.name}"`).join(', ') || 'the package has none'}.`,
      { tone: 'warning' },
    );
  }
  const start = c.start;
  const end =
    c.end ?? (c.days ? new Date((start ?? ctx.clock.now()).getTime() + c.days * DAY) : undefined);
  const assignment = await ctx.services.assignments.assignDirectly(ctx.actor, {
    userId: target.id,
    packageId: pkg.id,
    policyId: chosen[0].id,
    ...(start && { start }),
    ...(end && { end }),
    ...(c.reason && { reason: c.reason }),
  });
  const until = assignment.endAt ? ` until ${day(assignment.endAt)}` : '';
  return messageCard(
    `${target.displayName} now has ${pkg.name}${until} (${assignmentStateLabel(assignment.state)}).`,
    {
      tone: 'good',
    },
  );
}

export async function remove(ctx: HandlerContext, c: Of<'remove'>): Promise<ChatReply> {
  const target = await person(ctx, c.user);
  if (!isUser(target)) return target;
  const { pkg, reply } = await managed(ctx, c.packageName);
  if (!pkg) return reply;
  const rows = await ctx.services.assignments.list(ctx.actor, { packageId: pkg.id, limit: 1000 });
  const active = rows.find(
    (a) =>
      a.userId === target.id && (ACTIVE_ASSIGNMENT_STATES as readonly string[]).includes(a.state),
  );
  if (!active)
    return messageCard(`${target.displayName} has no active ${pkg.name}.`, { tone: 'warning' });
  await ctx.services.assignments.remove(ctx.actor, active.id, c.reason);
  return messageCard(`${target.displayName} no longer has ${pkg.name}.`, { tone: 'good' });
}

async function downloadUrl(
  ctx: HandlerContext,
  kind: 'requests' | 'assignments',
  packageId: string,
  state?: string,
) {
  const query = { packageId, ...(state && { state }) } as { packageId: string };
  const token = await ctx.services.downloads.create(ctx.actor, { kind, query });
  return `${ctx.publicUrl}/downloads/${token}`;
}

export async function packageRequests(
  ctx: HandlerContext,
  c: Of<'requests'> & { packageName: string },
) {
  const { pkg, reply } = await managed(ctx, c.packageName);
  if (!pkg) return reply;
  const rows = await ctx.services.requests.list(ctx.actor, {
    packageId: pkg.id,
    state: c.state,
    limit: SHOWN + 1,
  });
  const views = await ctx.services.requestViews.many(rows.slice(0, SHOWN).map((r) => r.id));
  return adminResultsCard({
    heading: `Requests for ${pkg.name}${c.state ? ` (${requestStateLabel(c.state)})` : ''}`,
    lines: views.map((v) => ({
      title: `${number(v.number)} ${v.requester.displayName}`,
      detail: `${requestStateLabel(v.state)} · ${when(v.createdAt)}`,
    })),
    total: rows.length > SHOWN ? rows.length : views.length,
    ...((c.csv || rows.length > SHOWN) && {
      downloadUrl: await downloadUrl(ctx, 'requests', pkg.id, c.state),
    }),
  });
}

export async function assignments(ctx: HandlerContext, c: Of<'assignments'>): Promise<ChatReply> {
  const { pkg, reply } = await managed(ctx, c.packageName);
  if (!pkg) return reply;
  const rows = await ctx.services.assignments.list(ctx.actor, {
    packageId: pkg.id,
    state: c.state,
    limit: SHOWN + 1,
  });
  const lines = [];
  for (const a of rows.slice(0, SHOWN)) {
    const user = await ctx.services.directory.getUser(a.userId);
    lines.push({
      title: user.displayName,
      detail: `${assignmentStateLabel(a.state)} · ${a.endAt ? `until ${day(a.endAt)}` : 'no end date'}`,
    });
  }
  return adminResultsCard({
    heading: `Who has ${pkg.name}`,
    lines,
    total: rows.length,
    ...((c.csv || rows.length > SHOWN) && {
      downloadUrl: await downloadUrl(ctx, 'assignments', pkg.id, c.state),
    }),
  });
}

export async function setHidden(
  ctx: HandlerContext,
  c: Of<'hide'> | Of<'unhide'>,
): Promise<ChatReply> {
  const { pkg, reply } = await managed(ctx, c.packageName);
  if (!pkg) return reply;
  const hidden = c.verb === 'hide';
  await ctx.services.packages.setHidden(ctx.actor, pkg.id, hidden);
  return messageCard(
    hidden
      ? `${pkg.name} is hidden: it is no longer listed, and can still be requested by name.`
      : `${pkg.name} is listed again.`,
    { tone: 'good' },
  );
}
