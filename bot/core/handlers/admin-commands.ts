import {
  packageAssignmentsCard,
  packageRequestsCard,
  type CsvOffer,
  type RoleProgress,
} from '../../../cards/builders/access-cards';
import type { CardReply } from '../../../cards/reply';
import { replies } from '../../../cards/builders/replies';
import { packagesCard } from '../../../cards/builders/packages';
import type { User } from '../../../db/entities';
import { ACTIVE_ASSIGNMENT_STATES } from '../../../db/entities';
import { DAY } from '../../../server/domain/clock';
import type { Command, UserRef } from '../commands/grammar';
import type { ChatReply } from '../chat';
import { findManagedPackage } from '../find-package';
import type { Download } from '../../../server/domain/download-links';
import { csvBytes } from '../../../server/api/csv/render';
import { exportCsv } from '../../../server/downloads/export-csv';
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
        : replies.noSuchPackage(name),
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
  return replies.unknownPerson(who);
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
    return replies.choosePolicy(policies.map((p) => p.name));
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
  return replies.assigned(target.displayName, pkg.name, assignment.state, assignment.endAt);
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
  if (!active) return replies.noActiveAssignment(target.displayName, pkg.name);
  await ctx.services.assignments.remove(ctx.actor, active.id, c.reason);
  return replies.removed(target.displayName, pkg.name);
}

/**
 * A list card with its full list as CSV: a link that works for minutes, which every platform
 * can show, and the file itself for an adapter that can put it into the person's DM.
 */
async function withCsv(
  ctx: HandlerContext,
  download: Download,
  packageName: string,
  card: (offer: CsvOffer) => CardReply,
): Promise<ChatReply> {
  const token = await ctx.services.downloads.create(ctx.actor, download);
  const name = `${download.kind}-${slug(packageName)}-${ctx.clock.now().toISOString().slice(0, 10)}.csv`;
  return {
    ...card({ downloadUrl: `${ctx.publicUrl}/downloads/${token}` }),
    file: {
      name,
      title: name,
      read: async () => csvBytes(await exportCsv(ctx.services, ctx.actor, download)),
      delivered: card({ sentFile: name }),
    },
  };
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'package';

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
  const card = (offer: CsvOffer = {}) =>
    packageRequestsCard({
      packageName: pkg.name,
      state: c.state,
      views,
      total: rows.length,
      ...offer,
    });
  if (!c.csv && rows.length <= SHOWN) return card();
  const query = { packageId: pkg.id, state: c.state };
  return withCsv(ctx, { kind: 'requests', query }, pkg.name, card);
}

export async function assignments(ctx: HandlerContext, c: Of<'assignments'>): Promise<ChatReply> {
  const { pkg, reply } = await managed(ctx, c.packageName);
  if (!pkg) return reply;
  const rows = await ctx.services.assignments.list(ctx.actor, {
    packageId: pkg.id,
    state: c.state,
    limit: SHOWN + 1,
  });
  const shown: Parameters<typeof packageAssignmentsCard>[0]['rows'] = [];
  for (const a of rows.slice(0, SHOWN)) {
    const user = await ctx.services.directory.getUser(a.userId);
    shown.push({
      userName: user.displayName,
      state: a.state,
      endAt: a.endAt,
      ...(UNFINISHED.has(a.state) && { progress: await progressOf(ctx, a.id) }),
    });
  }
  const card = (offer: CsvOffer = {}) =>
    packageAssignmentsCard({ packageName: pkg.name, rows: shown, total: rows.length, ...offer });
  if (!c.csv && rows.length <= SHOWN) return card();
  const query = { packageId: pkg.id, state: c.state };
  return withCsv(ctx, { kind: 'assignments', query }, pkg.name, card);
}

// Where some roles are not granted yet, managers see which failed and why.
const UNFINISHED = new Set(['delivering', 'partiallyDelivered', 'deliveryFailed']);

async function progressOf(ctx: HandlerContext, assignmentId: string): Promise<RoleProgress> {
  const grants = (await ctx.services.assignments.fulfillments(ctx.actor, assignmentId)).filter(
    (f) => f.action === 'grant',
  );
  const failed = grants.filter((f) => f.state === 'failed');
  return {
    roles: grants.length,
    failed: failed.length,
    awaiting: grants.filter((f) => f.state === 'awaiting').length,
    error: failed[0]?.lastError ?? null,
  };
}

export async function setHidden(
  ctx: HandlerContext,
  c: Of<'hide'> | Of<'unhide'>,
): Promise<ChatReply> {
  const { pkg, reply } = await managed(ctx, c.packageName);
  if (!pkg) return reply;
  const hidden = c.verb === 'hide';
  await ctx.services.packages.setHidden(ctx.actor, pkg.id, hidden);
  return replies.hidden(pkg.name, hidden);
}
