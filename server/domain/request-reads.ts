import { z } from 'zod';
import { In } from 'typeorm';
import { AccessRequest, OPEN_REQUEST_STATES, REQUEST_STATES } from '../../db/entities';
import type { Actor } from './actor';
import { authorizeRead, fallbackDecides, isNamedApprover } from './approvers';
import type { DomainContext } from './context';
import { Forbidden, NotFound } from './errors';
import { pageOffset } from './fields';
import { authorizeOnPackage } from './permissions';
import { catalogOf } from './request-rows';

export const requestListSchema = z.object({
  packageId: z.uuid().optional(),
  state: z.enum(REQUEST_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: pageOffset,
});
export type RequestListQuery = z.input<typeof requestListSchema>;

/** Reading requests: every read names its reader and checks what they may see. */
export class RequestReads {
  constructor(protected readonly ctx: DomainContext) {}

  async get(actor: Actor, id: string): Promise<AccessRequest> {
    const request = await this.ctx.db.manager.findOneBy(AccessRequest, { id });
    if (!request) throw new NotFound('Request', id);
    return this.visibleTo(actor, request);
  }

  /** By the short number people type (`cancel 42`). */
  async getByNumber(actor: Actor, number: number): Promise<AccessRequest> {
    const request = Number.isSafeInteger(number)
      ? await this.ctx.db.manager.findOneBy(AccessRequest, { number })
      : null;
    if (!request) throw new NotFound('Request', `#${number}`);
    return this.visibleTo(actor, request);
  }

  async list(actor: Actor, query: RequestListQuery): Promise<AccessRequest[]> {
    const q = requestListSchema.parse(query);
    if (q.packageId) {
      await authorizeOnPackage(this.ctx.db.manager, actor, 'viewRequests', q.packageId);
    } else if (!actor.isAdmin) {
      throw new Forbidden('Name an access package to list its requests.');
    }
    return this.ctx.db.manager.find(AccessRequest, {
      where: {
        ...(q.packageId && { packageId: q.packageId }),
        ...(q.state && { state: q.state }),
      },
      order: { createdAt: 'DESC', number: 'DESC' },
      take: q.limit,
      skip: q.offset,
    });
  }

  /** The actor's own requests, newest first. */
  listMine(actor: Actor, limit = 20): Promise<AccessRequest[]> {
    if (!actor.userId) return Promise.resolve([]);
    return this.ctx.db.manager.find(AccessRequest, {
      where: { targetUserId: actor.userId },
      order: { createdAt: 'DESC', number: 'DESC' },
      take: limit,
    });
  }

  /** The actor's own requests still waiting for a decision, newest first. */
  openMine(actor: Actor): Promise<AccessRequest[]> {
    if (!actor.userId) return Promise.resolve([]);
    return this.ctx.db.manager.find(AccessRequest, {
      where: { targetUserId: actor.userId, state: In([...OPEN_REQUEST_STATES]) },
      order: { createdAt: 'DESC', number: 'DESC' },
    });
  }

  /**
   * Requests waiting for the actor's decision: as a named approver (directly or through a
   * group), or as a fallback approver (a catalog owner or an administrator) of a request
   * whose requester is its only named approver.
   */
  pendingFor(actor: Actor): Promise<AccessRequest[]> {
    if (!actor.userId) return Promise.resolve([]);
    return this.ctx.db.manager
      .createQueryBuilder(AccessRequest, 'r')
      .where(`r.state = 'pendingApproval' AND r.target_user_id <> :user`)
      .andWhere(
        `(${isNamedApprover('r', ':user')} OR (${fallbackDecides('r')} AND (:admin OR EXISTS (
            SELECT 1 FROM access_packages p JOIN catalog_roles cr ON cr.catalog_id = p.catalog_id
             WHERE p.id = r.package_id AND cr.user_id = :user AND cr.role = 'catalogOwner'))))`,
      )
      .setParameters({ user: actor.userId, admin: actor.isAdmin })
      .orderBy('r.created_at')
      .getMany();
  }

  private async visibleTo(actor: Actor, request: AccessRequest): Promise<AccessRequest> {
    const em = this.ctx.db.manager;
    await authorizeRead(em, actor, request, await catalogOf(em, request.packageId));
    return request;
  }
}
