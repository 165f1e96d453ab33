import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import type { Actor } from './actor';
import { deriveAssignmentState, lockAssignment } from './assignment-state';
import { audit } from './audit';
import type { DomainContext } from './context';
import { AlreadyDecided, Forbidden, Invalid, NotFound, parseInput } from './errors';
import { text } from './fields';
import { enqueue } from './outbox-events';
import { rolesOf } from './permissions';
import { rows } from './sql';

/** A person who says a manual task failed is asked again this much later. */
const ASK_AGAIN_MS = 24 * 3_600_000;

export const taskOutcomeSchema = z
  .object({
    outcome: z.enum(['done', 'failed']),
    /** The task as the card showed it: a card older than the row's action is stale. */
    generation: z.number().int().min(0),
    reason: text(1000).optional(),
  })
  .strict();
export type TaskOutcome = z.infer<typeof taskOutcomeSchema>;

/** Everything a task card shows, as of `version`. */
export interface TaskView {
  id: string;
  version: number;
  generation: number;
  action: 'grant' | 'revoke';
  state: 'pending' | 'awaiting' | 'delivered' | 'failed';
  user: { displayName: string; email: string };
  resource: { name: string; originId: string };
  role: string;
  completion: { by: string | null; at: Date; reason: string | null } | null;
  catalogId: string;
  assignmentId: string;
}

const VIEW_SQL = `
  SELECT f.id, f.version, f.generation, f.action, f.state, f.last_error, f.completed_at,
         cb.display_name AS completed_by, u.display_name AS user_name, u.email AS user_email,
         res.display_name AS resource_name, res.origin_id, rr.name AS role_name,
         res.catalog_id, f.assignment_id
    FROM fulfillments f
    JOIN assignments a ON a.id = f.assignment_id
    JOIN users u ON u.id = a.user_id
    JOIN resource_roles rr ON rr.id = f.resource_role_id
    JOIN resources res ON res.id = rr.resource_id
    LEFT JOIN users cb ON cb.id = f.completed_by
   WHERE f.id = $1`;

/**
 * Grants and revokes done by hand, for resources whose connector is `manual`: the worker hands
 * the action over (the row waits, `awaiting`), the resource's catalog owners and the admins
 * get a card, and the first of them to say Done or Failed settles it.
 */
export class ManualTasks {
  constructor(private readonly ctx: DomainContext) {}

  async view(id: string): Promise<TaskView | null> {
    const [r] = await rows(this.ctx.db.manager, VIEW_SQL, [id]);
    if (!r) return null;
    return {
      id: r.id as string,
      version: Number(r.version),
      generation: Number(r.generation),
      action: r.action as TaskView['action'],
      state: r.state as TaskView['state'],
      user: { displayName: r.user_name as string, email: r.user_email as string },
      resource: { name: r.resource_name as string, originId: r.origin_id as string },
      role: r.role_name as string,
      completion: r.completed_at
        ? {
            by: r.completed_by as string | null,
            at: new Date(r.completed_at as string),
            reason: r.last_error as string | null,
          }
        : null,
      catalogId: r.catalog_id as string,
      assignmentId: r.assignment_id as string,
    };
  }

  /** Done or Failed, from a catalog owner or an admin; the first answer wins. */
  async complete(actor: Actor, id: string, raw: TaskOutcome): Promise<TaskView> {
    const input = parseInput(taskOutcomeSchema, raw);
    const task = await this.view(id);
    if (!task) throw new NotFound('Task', id);
    const roles = await rolesOf(this.ctx.db.manager, actor, task.catalogId);
    if (!roles.has('admin') && !roles.has('catalogOwner')) {
      throw new Forbidden("Only the catalog's owners or an administrator can settle this task.");
    }
    const reason = input.reason?.trim() || null;
    if (input.outcome === 'failed' && !reason) {
      throw new Invalid('reason', 'Say what went wrong, so that it can be fixed.');
    }
    const now = this.ctx.clock.now();
    const settled = await this.ctx.db.transaction(async (em) => {
      const before = await lockAssignment(em, task.assignmentId);
      const [row] = await rows<{ id: string }>(
        em,
        `UPDATE fulfillments SET state = $2, last_error = $3, completed_by = $4, completed_at = $5,
                next_attempt_at = $6, updated_at = $5
          WHERE id = $1 AND state = 'awaiting' AND generation = $7 RETURNING id`,
        [
          id,
          input.outcome === 'done' ? 'delivered' : 'failed',
          reason,
          actor.userId,
          now,
          input.outcome === 'done' ? null : new Date(now.getTime() + ASK_AGAIN_MS),
          input.generation,
        ],
      );
      if (!row) return false;
      await audit(em, this.ctx.clock, actor, `fulfillment.${input.outcome}`, subject(id), {
        reason,
      });
      await enqueue(em, { kind: 'taskChanged', fulfillmentId: id });
      await deriveAssignmentState(
        em,
        this.ctx.clock,
        task.assignmentId,
        before.state,
        input.outcome === 'failed' ? [{ id, error: reason }] : [],
      );
      return true;
    });
    const current = (await this.view(id))!;
    if (!settled) throw alreadySettled(current);
    return current;
  }
}

function alreadySettled(v: TaskView): AlreadyDecided {
  const c = v.completion;
  const message = c
    ? `This task was already marked ${v.state === 'delivered' ? 'done' : 'failed'} by ${c.by ?? 'someone'} at ${c.at.toISOString()}.`
    : 'This card is out of date: the task has changed since.';
  return new AlreadyDecided(message, { state: v.state, by: c?.by ?? null, at: c?.at ?? null });
}

/** In the worker's transaction: the resource's catalog owners and the admins get the task. */
export async function askOwners(em: EntityManager, admins: ReadonlySet<string>, id: string) {
  const owners = await rows<{ id: string }>(
    em,
    `SELECT cr.user_id AS id FROM fulfillments f
       JOIN resource_roles rr ON rr.id = f.resource_role_id
       JOIN resources r ON r.id = rr.resource_id
       JOIN catalog_roles cr ON cr.catalog_id = r.catalog_id AND cr.role = 'catalogOwner'
      WHERE f.id = $1
     UNION
     SELECT id FROM users WHERE email = ANY($2)`,
    [id, [...admins]],
  );
  await enqueue(em, {
    kind: 'taskRequested',
    fulfillmentId: id,
    ownerIds: owners.map((o) => o.id),
  });
  // Asked again after a failure: the cards already posted show the buttons again.
  await enqueue(em, { kind: 'taskChanged', fulfillmentId: id });
}

const subject = (id: string) => ({ type: 'fulfillment' as const, id });
