import { In } from 'typeorm';
import { z } from 'zod';
import { name, text } from './fields';
import { Catalog, CatalogRole, User, type CatalogRoleName } from '../../db/entities';
import type { Actor } from './actor';
import { audit } from './audit';
import type { DomainContext } from './context';
import { Conflict, Invalid, NotFound, parseInput, uniquely } from './errors';
import { patchOf } from './patch-schema';
import { authorize } from './permissions';

export const catalogInputSchema = z
  .object({
    name: name(256),
    description: text(2000).default(''),
    enabled: z.boolean().default(true),
  })
  .strict();
export type CatalogInput = z.infer<typeof catalogInputSchema>;
export const catalogPatchSchema = patchOf(catalogInputSchema);
export type CatalogPatch = z.infer<typeof catalogPatchSchema>;

export class CatalogService {
  constructor(private readonly ctx: DomainContext) {}

  async get(id: string): Promise<Catalog> {
    const catalog = await this.ctx.db.manager.findOneBy(Catalog, { id });
    if (!catalog) throw new NotFound('Catalog', id);
    return catalog;
  }

  general(): Promise<Catalog> {
    return this.ctx.db.manager.findOneByOrFail(Catalog, { isGeneral: true });
  }

  list(): Promise<Catalog[]> {
    return this.ctx.db.manager.find(Catalog, { order: { isGeneral: 'DESC', name: 'ASC' } });
  }

  /** The person who creates a catalog becomes its first owner. */
  async create(actor: Actor, raw: CatalogInput): Promise<Catalog> {
    const input = parseInput(catalogInputSchema, raw);
    return this.ctx.db.transaction(async (em) => {
      await authorize(em, actor, 'createCatalog', null);
      const catalog = await uniquely(
        em.save(em.create(Catalog, { ...input, isGeneral: false, createdBy: actor.userId })),
        `A catalog named "${input.name}" exists.`,
      );
      if (actor.userId) {
        await em.insert(CatalogRole, {
          catalogId: catalog.id,
          userId: actor.userId,
          role: 'catalogOwner',
        });
      }
      await audit(
        em,
        this.ctx.clock,
        actor,
        'catalog.created',
        { type: 'catalog', id: catalog.id },
        {
          name: catalog.name,
        },
      );
      return catalog;
    });
  }

  async update(actor: Actor, id: string, raw: CatalogPatch): Promise<Catalog> {
    const patch = parseInput(catalogPatchSchema, raw);
    return this.ctx.db.transaction(async (em) => {
      const catalog = await em.findOneBy(Catalog, { id });
      if (!catalog) throw new NotFound('Catalog', id);
      await authorize(em, actor, 'editCatalog', id);
      if (catalog.isGeneral && patch.name !== undefined && patch.name !== catalog.name) {
        throw new Invalid('name', 'The General catalog cannot be renamed.');
      }
      await uniquely(em.update(Catalog, id, patch), `A catalog named "${patch.name}" exists.`);
      await audit(
        em,
        this.ctx.clock,
        actor,
        'catalog.updated',
        { type: 'catalog', id },
        { ...patch },
      );
      return em.findOneByOrFail(Catalog, { id });
    });
  }

  /** A catalog can go only when empty; General always exists. */
  async delete(actor: Actor, id: string): Promise<void> {
    await this.ctx.db.transaction(async (em) => {
      const catalog = await em.findOneBy(Catalog, { id });
      if (!catalog) throw new NotFound('Catalog', id);
      await authorize(em, actor, 'editCatalog', id);
      if (catalog.isGeneral) throw new Conflict('The General catalog cannot be deleted.');
      const [{ packages, resources }] = await em.query(
        `SELECT (SELECT count(*) FROM access_packages WHERE catalog_id = $1 AND deleted_at IS NULL)::int AS packages,
                (SELECT count(*) FROM resources WHERE catalog_id = $1)::int AS resources`,
        [id],
      );
      if (packages || resources) {
        throw new Conflict(
          `Catalog "${catalog.name}" still holds ${packages} access package(s) and ${resources} resource(s); remove them first.`,
        );
      }
      // Deleted packages keep their history; the catalog row stays for them, disabled and renamed.
      const [{ history }] = await em.query(
        `SELECT count(*)::int AS history FROM access_packages WHERE catalog_id = $1`,
        [id],
      );
      if (history) {
        await em.update(Catalog, id, { enabled: false, name: `${catalog.name} (deleted ${id})` });
      } else {
        await em.delete(Catalog, id);
      }
      await audit(
        em,
        this.ctx.clock,
        actor,
        'catalog.deleted',
        { type: 'catalog', id },
        {
          name: catalog.name,
        },
      );
    });
  }

  async members(catalogId: string): Promise<Array<{ user: User; role: CatalogRoleName }>> {
    await this.get(catalogId);
    const rows: Array<{ role: CatalogRoleName; user_id: string }> = await this.ctx.db.query(
      `SELECT role, user_id FROM catalog_roles WHERE catalog_id = $1 ORDER BY role, user_id`,
      [catalogId],
    );
    const users = rows.length
      ? await this.ctx.db.manager.findBy(User, { id: In(rows.map((r) => r.user_id)) })
      : [];
    const byId = new Map(users.map((u) => [u.id, u]));
    return rows.map((r) => ({ user: byId.get(r.user_id)!, role: r.role }));
  }

  async setRole(
    actor: Actor,
    catalogId: string,
    userId: string,
    role: CatalogRoleName,
    on: boolean,
  ) {
    await this.ctx.db.transaction(async (em) => {
      if (!(await em.existsBy(Catalog, { id: catalogId })))
        throw new NotFound('Catalog', catalogId);
      if (!(await em.existsBy(User, { id: userId }))) throw new NotFound('User', userId);
      await authorize(
        em,
        actor,
        role === 'catalogOwner' ? 'addCatalogOwners' : 'editCatalog',
        catalogId,
      );
      if (on) {
        await em.query(`INSERT INTO catalog_roles VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
          catalogId,
          userId,
          role,
        ]);
      } else {
        const { affected } = await em.delete(CatalogRole, { catalogId, userId, role });
        if (!affected)
          throw new NotFound(role === 'catalogOwner' ? 'Catalog owner' : 'Package manager', userId);
      }
      await audit(
        em,
        this.ctx.clock,
        actor,
        on ? 'catalog.roleGranted' : 'catalog.roleRevoked',
        {
          type: 'catalog',
          id: catalogId,
        },
        { userId, role },
      );
    });
  }
}
