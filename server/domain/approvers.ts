import type { EntityManager } from 'typeorm';
import type { AccessRequest } from '../../db/entities';
import type { Actor } from './actor';
import { Forbidden } from './errors';
import { allows, rolesOf, type Role } from './permissions';

/**
 * Who decides a request, and who may read it. A request's approvers are the policy's as
 * snapshotted at submission (groups as they are now), never its requester; when the requester
 * is the only one, the catalog's owners and the administrators decide instead (the fallback).
 *
 * SQL fragments take the request's alias and the placeholder of a user id.
 */
export const isNamedApprover = (r: string, user: string) =>
  `EXISTS (SELECT 1 FROM request_approvers ra WHERE ra.request_id = ${r}.id AND ${r}.target_user_id <> ${user}
     AND (ra.user_id = ${user} OR ra.group_id IN (SELECT group_id FROM group_members WHERE user_id = ${user})))`;

/** The request has nobody to decide it but the fallback. */
export const hasNoNamedApprover = (r: string) =>
  `NOT EXISTS (SELECT 1 FROM request_approvers ra LEFT JOIN group_members gm ON gm.group_id = ra.group_id
     WHERE ra.request_id = ${r}.id AND coalesce(ra.user_id, gm.user_id) <> ${r}.target_user_id)`;

/** The fallback (the catalog's owners, the admins) may decide: nobody else is named, or the
 * request was escalated to them before its deadline. */
export const fallbackDecides = (r: string) =>
  `(${r}.escalated_at IS NOT NULL OR ${hasNoNamedApprover(r)})`;

/** The named approvers' user ids, groups expanded, minus the requester: a SELECT of `id`. */
const namedApproversOf = (request: string) =>
  `SELECT ra.user_id AS id FROM request_approvers ra WHERE ra.request_id = ${request} AND ra.user_id IS NOT NULL
   UNION
   SELECT gm.user_id FROM request_approvers ra JOIN group_members gm ON gm.group_id = ra.group_id
    WHERE ra.request_id = ${request}
   EXCEPT
   SELECT target_user_id FROM access_requests WHERE id = ${request}`;

export async function namedApprovers(em: EntityManager, requestId: string): Promise<string[]> {
  const named: Array<{ id: string }> = await em.query(namedApproversOf('$1'), [requestId]);
  return named.map((r) => r.id).sort();
}

/** The policy's approvers, kept with the request: who decides it, whatever the policy becomes. */
export async function keepApprovers(
  em: EntityManager,
  requestId: string,
  approvers: ReadonlyArray<{ userId: string } | { groupId: string }>,
) {
  for (const a of approvers) {
    await em.query(
      `INSERT INTO request_approvers (request_id, user_id, group_id) VALUES ($1, $2, $3)`,
      [requestId, 'userId' in a ? a.userId : null, 'groupId' in a ? a.groupId : null],
    );
  }
}

/** Who is asked to decide: the named approvers, else the catalog's owners and the admins. */
export async function approversToAsk(
  em: EntityManager,
  requestId: string,
  admins: ReadonlySet<string>,
): Promise<string[]> {
  const named = await namedApprovers(em, requestId);
  return named.length ? named : fallbackApprovers(em, requestId, admins);
}

/** The catalog's owners and the admins, the requester left out. */
export async function fallbackApprovers(
  em: EntityManager,
  requestId: string,
  admins: ReadonlySet<string>,
): Promise<string[]> {
  const fallback: Array<{ id: string }> = await em.query(
    `SELECT cr.user_id AS id FROM access_requests r JOIN access_packages p ON p.id = r.package_id
       JOIN catalog_roles cr ON cr.catalog_id = p.catalog_id AND cr.role = 'catalogOwner'
      WHERE r.id = $1
     UNION
     SELECT id FROM users WHERE email = ANY($2)
     EXCEPT
     SELECT target_user_id FROM access_requests WHERE id = $1`,
    [requestId, [...admins]],
  );
  return fallback.map((r) => r.id).sort();
}

/** Why this actor may not decide the request, or null when they may. */
export async function decisionRefusal(
  em: EntityManager,
  actor: Actor,
  request: Pick<AccessRequest, 'id' | 'targetUserId' | 'escalatedAt'>,
  catalogId: string,
): Promise<string | null> {
  const named = await namedApprovers(em, request.id);
  const fallback = !named.length || request.escalatedAt !== null;
  const roles = fallback ? await rolesOf(em, actor, catalogId) : new Set<Role>();
  const actorNamed = Boolean(actor.userId && named.includes(actor.userId));
  return refusalOf(actor, request, { any: named.length > 0, actor: actorNamed, fallback }, roles);
}

/**
 * The rule itself, on what the caller has loaded: whether the policy names any approver (groups
 * expanded, the requester left out) and whether the actor is one; whether the fallback (the
 * catalog's owners, the admins) decides too; and the actor's roles on the request's catalog.
 */
export function refusalOf(
  actor: Actor,
  request: Pick<AccessRequest, 'targetUserId'>,
  deciders: { any: boolean; actor: boolean; fallback: boolean },
  roles: ReadonlySet<Role>,
): string | null {
  if (actor.userId && actor.userId === request.targetUserId) {
    return 'You cannot decide your own request.';
  }
  if (deciders.actor) return null;
  if (deciders.fallback && (roles.has('admin') || roles.has('catalogOwner'))) return null;
  if (!deciders.fallback) return 'Only the approvers named by the policy can decide this request.';
  return deciders.any
    ? "Only the approvers named by the policy, the catalog's owners or an administrator can decide this request."
    : "Only the catalog's owners or an administrator can decide this request.";
}

/**
 * A request is seen by its requester and target user, by whoever may decide it, and by the
 * catalog's owners and package managers and the administrators.
 */
export async function authorizeRead(
  em: EntityManager,
  actor: Actor,
  request: Pick<AccessRequest, 'id' | 'number' | 'requestorId' | 'targetUserId' | 'escalatedAt'>,
  catalogId: string,
) {
  if (actor.userId && [request.requestorId, request.targetUserId].includes(actor.userId)) return;
  if (allows(await rolesOf(em, actor, catalogId), 'viewRequests')) return;
  if (!(await decisionRefusal(em, actor, request, catalogId))) return;
  throw new Forbidden(`You can't see request #${request.number}.`);
}
