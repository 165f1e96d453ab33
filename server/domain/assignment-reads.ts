import { z } from 'zod';
import { Assignment, Fulfillment, ACTIVE_STATES_SQL, ASSIGNMENT_STATES } from '../../db/entities';
import type { Actor } from './actor';
import { isNamedApprover } from './approvers';
import type { DomainContext } from './context';
import { Forbidden, NotFound } from './errors';
import { pageOffset } from './fields';
import { allows, authorizeOnPackage, rolesOf } from './permissions';
import { catalogOf } from './request-rows';

export const assignmentListSchema = z.object({
  packageId: z.uuid(),
  state: z.enum(ASSIGNMENT_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: pageOffset,
});
export type AssignmentListQuery = z.input<typeof assignmentListSchema>;

/** What the cards telling a holder about their access show, as of `version`. */
export interface AssignmentNotice {
  id: string;
  version: number;
  packageName: string;
  state: string;
  endAt: Date | null;
  endedAt: Date | null;
  endReason: string | null;
  /** Prompts sent for the current end; 0 again once extended. */
  extensionPrompts: number;
  extensionNeedsApproval: boolean;
}

/** Reading assignments: every read names its reader and checks what they may see. */
export class AssignmentReads {
  constructor(protected readonly ctx: DomainContext) {}

  /** For the outbox, which has already chosen who sees it: the holder. */
  async notice(id: string): Promise<AssignmentNotice | null> {
    const [r] = await this.ctx.db.query(
      `SELECT a.id, a.version, p.name, a.state, a.end_at, a.ended_at, a.end_reason,
              a.extension_prompts,
              coalesce((a.policy_snapshot->>'extensionRequiresApproval')::boolean, true) AS approval
         FROM assignments a JOIN access_packages p ON p.id = a.package_id WHERE a.id = $1`,
      [id],
    );
    if (!r) return null;
    return {
      id: r.id,
      version: Number(r.version),
      packageName: r.name,
      state: r.state,
      endAt: r.end_at,
      endedAt: r.ended_at,
      endReason: r.end_reason,
      extensionPrompts: Number(r.extension_prompts),
      extensionNeedsApproval: r.approval === true,
    };
  }

  /**
   * An assignment is seen by its user, by the catalog's owners and package managers and the
   * administrators, and by whoever requested or could decide the request that created it.
   */
  async get(actor: Actor, id: string): Promise<Assignment> {
    const em = this.ctx.db.manager;
    const assignment = await em.findOneBy(Assignment, { id });
    if (!assignment) throw new NotFound('Assignment', id);
    if (actor.userId === assignment.userId) return assignment;
    const roles = await rolesOf(em, actor, await catalogOf(em, assignment.packageId));
    if (allows(roles, 'viewAssignments')) return assignment;
    if (actor.userId) {
      const [related] = await em.query(
        `SELECT 1 FROM access_requests r WHERE r.assignment_id = $1
            AND (r.requestor_id = $2 OR ${isNamedApprover('r', '$2')})`,
        [id, actor.userId],
      );
      if (related) return assignment;
    }
    throw new Forbidden("You can't see this assignment.");
  }

  async list(actor: Actor, query: AssignmentListQuery): Promise<Assignment[]> {
    const q = assignmentListSchema.parse(query);
    await authorizeOnPackage(this.ctx.db.manager, actor, 'viewAssignments', q.packageId);
    return this.ctx.db.manager.find(Assignment, {
      where: { packageId: q.packageId, ...(q.state && { state: q.state }) },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: q.limit,
      skip: q.offset,
    });
  }

  /** The actor's current access. */
  listMine(actor: Actor): Promise<Assignment[]> {
    if (!actor.userId) return Promise.resolve([]);
    return this.ctx.db.manager
      .createQueryBuilder(Assignment, 'a')
      .where(`a.user_id = :userId AND a.state IN ${ACTIVE_STATES_SQL}`, { userId: actor.userId })
      .orderBy('a.end_at', 'ASC', 'NULLS LAST')
      .getMany();
  }

  /** Per-role provisioning state, errors included. */
  async fulfillments(actor: Actor, assignmentId: string): Promise<Fulfillment[]> {
    const assignment = await this.ctx.db.manager.findOneBy(Assignment, { id: assignmentId });
    if (!assignment) throw new NotFound('Assignment', assignmentId);
    if (actor.userId !== assignment.userId) {
      await authorizeOnPackage(
        this.ctx.db.manager,
        actor,
        'viewFulfillmentErrors',
        assignment.packageId,
      );
    }
    return this.ctx.db.manager.find(Fulfillment, { where: { assignmentId }, order: { id: 'ASC' } });
  }
}
