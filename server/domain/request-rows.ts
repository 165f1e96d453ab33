import type { EntityManager } from 'typeorm';
import {
  AccessPackage,
  AccessRequest,
  ACTIVE_STATES_SQL,
  OPEN_STATES_SQL,
  type AssignmentState,
} from '../../db/entities';
import { NotFound } from './errors';

/** A request row for the domain's own use: no rights are checked here. */
export async function loadRequest(em: EntityManager, id: string): Promise<AccessRequest> {
  const request = await em.findOneBy(AccessRequest, { id });
  if (!request) throw new NotFound('Request', id);
  return request;
}

/** The catalog a package belongs to, deleted or not: rights on history follow the catalog. */
export async function catalogOf(em: EntityManager, packageId: string): Promise<string> {
  return (await em.findOneByOrFail(AccessPackage, { id: packageId })).catalogId;
}

/** The user's open request for the package, which a new request would duplicate. */
export async function openRequestOf(
  em: EntityManager,
  userId: string,
  packageId: string,
): Promise<{ number: number } | null> {
  const [open] = await em.query(
    `SELECT number FROM access_requests WHERE target_user_id = $1 AND package_id = $2
        AND state IN ${OPEN_STATES_SQL} AND type IN ('userAdd', 'userExtend') LIMIT 1`,
    [userId, packageId],
  );
  return open ? { number: Number(open.number) } : null;
}

/** The user's active assignment of the package, which makes a request pointless. */
export async function activeAssignmentOf(
  em: EntityManager,
  userId: string,
  packageId: string,
): Promise<{ state: AssignmentState; endAt: Date | null } | null> {
  const [active] = await em.query(
    `SELECT state, end_at FROM assignments WHERE user_id = $1 AND package_id = $2
        AND state IN ${ACTIVE_STATES_SQL} LIMIT 1`,
    [userId, packageId],
  );
  return active
    ? { state: active.state, endAt: active.end_at ? new Date(active.end_at) : null }
    : null;
}
