import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { name, text } from './fields';
import {
  AccessPackage,
  AccessPackageResourceRole,
  ACTIVE_STATES_SQL,
  Catalog,
} from '../../db/entities';
import type { Actor } from './actor';
import { audit } from './audit';
import type { DomainContext } from './context';
import { Conflict, Invalid, NotFound, parseInput, uniquely } from './errors';
import { queueGrants, queueRevocations } from './fulfillment-queue';
import { patchOf } from './patch-schema';
import { lockPackage } from './package-lock';
import { authorize, type Task } from './permissions';
import type { RequestService } from './requests';

export const packageInputSchema = z
  .object({
    catalogId: z.uuid().optional(),
    name: name(256),
    description: text(4000).default(''),
    hidden: z.boolean().default(false),
  })
  .strict();
export type PackageInput = z.infer<typeof packageInputSchema>;

export const packagePatchSchema = patchOf(packageInputSchema);
export type PackagePatch = z.infer<typeof packagePatchSchema>;

export interface PackageResourceRoleView {
  resourceRoleId: string;
  roleName: string;
  resourceId: string;
  resourceName: string;
  resourceType: string;
}

const createTasks = (catalog: Catalog): Task[] =>
  catalog.isGeneral
    ? ['createPackageInGeneral', 'addRemovePackages']
    : ['createPackage', 'addRemovePackages'];

export class PackageService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly requests: () => RequestService,
  ) {}

  async get(id: string, em: EntityManager = this.ctx.db.manager): Promise<AccessPackage> {
    const pkg = await em.findOneBy(AccessPackage, { id });
    if (!pkg || pkg.deletedAt) throw new NotFound('Access package', id);
    return pkg;
  }

  /** Live packages whose name matches exactly (case-insensitive), for chat commands by name. */
  findByName(name: string): Promise<AccessPackage[]> {
    return this.ctx.db.manager
      .createQueryBuilder(AccessPackage, 'p')
      .where('lower(p.name) = lower(:name) AND p.deleted_at IS NULL', { name: name.trim() })
      .getMany();
  }

  list(opts: { catalogId?: string; limit: number; offset: number }): Promise<AccessPackage[]> {
    const q = this.ctx.db.manager
      .createQueryBuilder(AccessPackage, 'p')
      .where('p.deleted_at IS NULL')
      .orderBy('lower(p.name)')
      .addOrderBy('p.id')
      .take(opts.limit)
      .skip(opts.offset);
    if (opts.catalogId) q.andWhere('p.catalog_id = :c', { c: opts.catalogId });
    return q.getMany();
  }

  /** Without a catalog the package goes into General, as in the seeds. */
  async create(actor: Actor, raw: PackageInput): Promise<AccessPackage> {
    const input = parseInput(packageInputSchema, raw);
    return this.ctx.db.transaction(async (em) => {
      const catalog = input.catalogId
        ? await em.findOneBy(Catalog, { id: input.catalogId })
        : await em.findOneByOrFail(Catalog, { isGeneral: true });
      if (!catalog) throw new NotFound('Catalog', input.catalogId!);
      await authorize(em, actor, createTasks(catalog), catalog.id);
      const pkg = await uniquely(
        em.save(
          em.create(AccessPackage, { ...input, catalogId: catalog.id, createdBy: actor.userId }),
        ),
        `Catalog "${catalog.name}" already has a package named "${input.name}".`,
      );
      await audit(em, this.ctx.clock, actor, 'accessPackage.created', subject(pkg.id), {
        catalogId: catalog.id,
        name: pkg.name,
      });
      return pkg;
    });
  }

  async update(actor: Actor, id: string, raw: PackagePatch): Promise<AccessPackage> {
    const patch = parseInput(packagePatchSchema, raw);
    return this.ctx.db.transaction(async (em) => {
      const pkg = await this.get(id, em);
      if (patch.catalogId !== undefined && patch.catalogId !== pkg.catalogId) {
        throw new Invalid('catalogId', 'Access packages cannot move between catalogs.');
      }
      const { catalogId: _, hidden, ...fields } = patch;
      // Rights follow what the caller sends, changed or not: an empty or no-op update must not
      // tell a stranger that the package exists and what it holds.
      const tasks: Task[] = hidden !== undefined ? ['hidePackage'] : [];
      if (Object.keys(fields).length || !tasks.length) tasks.push('editPackage');
      for (const task of tasks) await authorize(em, actor, task, pkg.catalogId);
      await uniquely(
        em.update(AccessPackage, id, { ...fields, ...(hidden !== undefined && { hidden }) }),
        `This catalog already has a package named "${fields.name}".`,
      );
      if (hidden !== undefined && hidden !== pkg.hidden) {
        await audit(
          em,
          this.ctx.clock,
          actor,
          hidden ? 'accessPackage.hidden' : 'accessPackage.unhidden',
          subject(id),
        );
      }
      if (Object.keys(fields).length) {
        await audit(em, this.ctx.clock, actor, 'accessPackage.updated', subject(id), fields);
      }
      return this.get(id, em);
    });
  }

  setHidden(actor: Actor, id: string, hidden: boolean) {
    return this.update(actor, id, { hidden });
  }

  /**
   * A package can be deleted only with no active assignments. Its pending requests are
   * canceled; its history stays (the row is kept, marked deleted).
   */
  async delete(actor: Actor, id: string): Promise<void> {
    await this.ctx.db.transaction(async (em) => {
      // Waits for every submit, decision and direct assignment in flight on the package, and
      // keeps new ones out, so the count below cannot be outrun by an approval.
      const pkg = await lockPackage(em, id, 'change');
      await authorize(em, actor, ['deletePackage', 'addRemovePackages'], pkg.catalogId);
      const [{ active }] = await em.query(
        `SELECT count(*)::int AS active FROM assignments
          WHERE package_id = $1 AND state IN ${ACTIVE_STATES_SQL}`,
        [id],
      );
      if (active) {
        throw new Conflict(
          `"${pkg.name}" still has ${active} active assignment(s); remove them before deleting it.`,
        );
      }
      const now = this.ctx.clock.now();
      await em.update(AccessPackage, id, { deletedAt: now });
      await em.query(`UPDATE policies SET enabled = false, updated_at = $2 WHERE package_id = $1`, [
        id,
        now,
      ]);
      await this.requests().cancelOpenForPackage(em, actor, id, 'The access package was deleted.');
      await audit(em, this.ctx.clock, actor, 'accessPackage.deleted', subject(id), {
        name: pkg.name,
      });
    });
  }

  async resourceRoles(packageId: string): Promise<PackageResourceRoleView[]> {
    await this.get(packageId);
    const rows = await this.ctx.db.query(
      `SELECT rr.id, rr.name, r.id AS resource_id, r.display_name, r.type
         FROM access_package_resource_roles aprr
         JOIN resource_roles rr ON rr.id = aprr.resource_role_id
         JOIN resources r ON r.id = rr.resource_id
        WHERE aprr.package_id = $1
        ORDER BY r.display_name, rr.name`,
      [packageId],
    );
    return rows.map((r: Record<string, string>) => ({
      resourceRoleId: r.id,
      roleName: r.name,
      resourceId: r.resource_id,
      resourceName: r.display_name,
      resourceType: r.type,
    }));
  }

  /** Users already assigned the package receive the new role. */
  async addResourceRole(actor: Actor, packageId: string, resourceRoleId: string) {
    const assignmentIds = await this.ctx.db.transaction(async (em) => {
      // An assignment being created now either commits first, and gets the grant queued below,
      // or waits, and then copies the package's roles including this one.
      const pkg = await lockPackage(em, packageId, 'change');
      await authorize(em, actor, 'manageResourceRoles', pkg.catalogId);
      const [role] = await em.query(
        `SELECT rr.id, r.catalog_id FROM resource_roles rr JOIN resources r ON r.id = rr.resource_id WHERE rr.id = $1`,
        [resourceRoleId],
      );
      if (!role) throw new NotFound('Resource role', resourceRoleId);
      if (role.catalog_id !== pkg.catalogId) {
        throw new Invalid(
          'resourceRoleId',
          "The resource role's resource is not in this package's catalog.",
        );
      }
      await uniquely(
        em.insert(AccessPackageResourceRole, { packageId, resourceRoleId }),
        'The package already includes this resource role.',
      );
      const ids = await queueGrants(em, packageId, resourceRoleId);
      await audit(
        em,
        this.ctx.clock,
        actor,
        'accessPackage.resourceRoleAdded',
        subject(packageId),
        {
          resourceRoleId,
          grantsQueued: ids.length,
        },
      );
      return ids;
    });
    return { grantsQueued: assignmentIds.length };
  }

  /** Users assigned the package lose the role (unless another assignment still grants it). */
  async removeResourceRole(actor: Actor, packageId: string, resourceRoleId: string) {
    const assignmentIds = await this.ctx.db.transaction(async (em) => {
      const pkg = await lockPackage(em, packageId, 'change');
      await authorize(em, actor, 'manageResourceRoles', pkg.catalogId);
      const { affected } = await em.delete(AccessPackageResourceRole, {
        packageId,
        resourceRoleId,
      });
      if (!affected) throw new NotFound('Resource role of this package', resourceRoleId);
      const ids = await queueRevocations(em, { packageId, resourceRoleId });
      await audit(
        em,
        this.ctx.clock,
        actor,
        'accessPackage.resourceRoleRemoved',
        subject(packageId),
        {
          resourceRoleId,
          revocationsQueued: ids.length,
        },
      );
      return ids;
    });
    return { revocationsQueued: assignmentIds.length };
  }
}

const subject = (id: string) => ({ type: 'accessPackage' as const, id });
