import type { EntityManager } from 'typeorm';
import { AccessPackage, CatalogRole, DirectoryRole } from '../../db/entities';
import type { Actor } from './actor';
import { Forbidden, NotFound } from './errors';

export type Role = 'admin' | 'catalogCreator' | 'catalogOwner' | 'packageManager';

/**
 * Seed 004's "Roles to perform tasks", row for row: the minimum roles for each task.
 * "User admin" is our `admin`. Services name the row they perform; nothing else grants rights.
 */
export const TASKS = {
  createCatalog: ['admin', 'catalogCreator'],
  editCatalog: ['admin', 'catalogOwner'],
  addCatalogOwners: ['admin', 'catalogOwner'],
  manageResourcesInGeneral: ['admin'],
  manageResources: ['admin', 'catalogOwner'],
  createPackageInGeneral: ['admin', 'catalogCreator'],
  createPackage: ['admin', 'catalogOwner'],
  deletePackage: ['admin', 'catalogOwner', 'packageManager'],
  addRemovePackages: ['admin', 'packageManager'],
  manageResourceRoles: ['admin', 'catalogOwner', 'packageManager'],
  directAssign: ['admin', 'catalogOwner', 'packageManager'],
  viewAssignments: ['admin', 'catalogOwner', 'packageManager'],
  viewRequests: ['admin', 'catalogOwner', 'packageManager'],
  viewFulfillmentErrors: ['admin', 'catalogOwner', 'packageManager'],
  cancelRequest: ['admin', 'catalogOwner', 'packageManager'],
  hidePackage: ['admin', 'catalogOwner', 'packageManager'],
  // From the seeds' "Basic steps" table: who may add a policy.
  managePolicies: ['admin', 'catalogOwner', 'packageManager'],
  // From seed 003 ("Edit and manage an existing access package").
  editPackage: ['admin', 'catalogOwner', 'packageManager'],
} as const satisfies Record<string, readonly Role[]>;

export type Task = keyof typeof TASKS;

const DESCRIPTIONS: Record<Task, string> = {
  createCatalog: 'create a catalog',
  editCatalog: 'edit or delete this catalog',
  addCatalogOwners: 'change the owners of this catalog',
  manageResourcesInGeneral: 'add or remove resources in the General catalog',
  manageResources: 'add or remove resources in this catalog',
  createPackageInGeneral: 'create an access package in the General catalog',
  createPackage: 'create an access package in this catalog',
  deletePackage: 'delete this access package',
  addRemovePackages: 'add or remove access packages in this catalog',
  manageResourceRoles: 'change the resource roles of this access package',
  directAssign: 'assign or remove users directly',
  viewAssignments: 'view the assignments of this access package',
  viewRequests: "view this access package's requests",
  viewFulfillmentErrors: "view this request's fulfillment errors",
  cancelRequest: 'cancel a pending request of this access package',
  hidePackage: 'hide or unhide this access package',
  managePolicies: 'change the policies of this access package',
  editPackage: 'edit this access package',
};

/** The roles an actor holds, directory-wide and in one catalog. */
export async function rolesOf(
  em: EntityManager,
  actor: Actor,
  catalogId: string | null,
): Promise<Set<Role>> {
  const roles = new Set<Role>();
  if (actor.isAdmin) roles.add('admin');
  if (!actor.userId) return roles;
  if (await em.existsBy(DirectoryRole, { userId: actor.userId, role: 'catalogCreator' })) {
    roles.add('catalogCreator');
  }
  if (catalogId) {
    const rows = await em.findBy(CatalogRole, { userId: actor.userId, catalogId });
    for (const r of rows) roles.add(r.role);
  }
  return roles;
}

export const allows = (roles: Set<Role>, task: Task) =>
  (TASKS[task] as readonly Role[]).some((r) => roles.has(r));

/** Throws Forbidden unless the actor may perform at least one of the given rows of the table. */
export async function authorize(
  em: EntityManager,
  actor: Actor,
  tasks: Task | Task[],
  catalogId: string | null,
): Promise<Set<Role>> {
  const list = Array.isArray(tasks) ? tasks : [tasks];
  const roles = await rolesOf(em, actor, catalogId);
  if (!list.some((t) => allows(roles, t))) {
    throw new Forbidden(`You are not allowed to ${DESCRIPTIONS[list[0]]}.`);
  }
  return roles;
}

/**
 * Authorizes a task on the catalog an access package belongs to, and returns the package.
 * With `live`, a deleted package (kept only for its history) counts as missing.
 */
export async function authorizeOnPackage(
  em: EntityManager,
  actor: Actor,
  tasks: Task | Task[],
  packageId: string,
  { live = false }: { live?: boolean } = {},
): Promise<AccessPackage> {
  const pkg = await em.findOneBy(AccessPackage, { id: packageId });
  if (!pkg || (live && pkg.deletedAt)) throw new NotFound('Access package', packageId);
  await authorize(em, actor, tasks, pkg.catalogId);
  return pkg;
}
