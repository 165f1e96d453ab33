import type { EntityManager } from 'typeorm';
import { hydrate } from '../../db/hydrate';
import { AccessRequest } from '../../db/entities';
import type { Actor } from './actor';
import { fallbackDecides, hasNoNamedApprover, isNamedApprover } from './approvers';
import { NotFound } from './errors';
import type { Role } from './permissions';
import { prepared } from './sql';

/** Everything a decision is checked against, read in one statement. */
export interface DecisionContext {
  request: AccessRequest;
  /**
   * Whether the policy names approvers (groups expanded, the requester left out) and the
   * actor is one, and whether the fallback (catalog owners, admins) decides too.
   */
  deciders: { any: boolean; actor: boolean; fallback: boolean };
  /** The actor's roles on the request's catalog: the fallback deciders when none is named. */
  roles: Set<Role>;
  /** The package row's version (xmin): a change of its roles gives it a new one. */
  packageVersion: string;
}

const CONTEXT_SQL = `
  SELECT r.*, p.xmin::text AS package_version,
         NOT ${hasNoNamedApprover('r')} AS any_named,
         ${fallbackDecides('r')} AS fallback,
         ${isNamedApprover('r', '$2::uuid')} AS actor_named,
         ARRAY(SELECT cr.role FROM catalog_roles cr
                WHERE cr.user_id = $2::uuid AND cr.catalog_id = p.catalog_id) AS catalog_roles
    FROM access_requests r JOIN access_packages p ON p.id = r.package_id
   WHERE r.id = $1`;

export async function loadDecisionContext(
  em: EntityManager,
  actor: Actor,
  requestId: string,
): Promise<DecisionContext> {
  const [row] = await prepared(em, 'decision.context', CONTEXT_SQL, [requestId, actor.userId]);
  if (!row) throw new NotFound('Request', requestId);
  const roles = new Set(row.catalog_roles as Role[]);
  if (actor.isAdmin) roles.add('admin');
  return {
    request: hydrate(em, AccessRequest, row),
    deciders: {
      any: row.any_named === true,
      actor: row.actor_named === true,
      fallback: row.fallback === true,
    },
    roles,
    packageVersion: row.package_version as string,
  };
}
