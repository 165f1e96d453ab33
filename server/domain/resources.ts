import { z } from 'zod';
import { attributes, name, text } from './fields';
import {
  Catalog,
  RESOURCE_TYPES,
  Resource,
  ResourceRole,
  type ResourceType,
} from '../../db/entities';
import type { Actor } from './actor';
import { audit } from './audit';
import type { DomainContext } from './context';
import { Conflict, Invalid, NotFound, parseInput, uniquely } from './errors';
import { authorize, type Task } from './permissions';

// Roles a resource type always has; webhook systems and app roles declare their own.
const BUILT_IN_ROLES: Partial<Record<ResourceType, string[]>> = {
  slackChannel: ['member'],
  slackUserGroup: ['member'],
  m365Group: ['member', 'owner'],
};

export const resourceInputSchema = z
  .object({
    type: z.enum(RESOURCE_TYPES),
    originId: name(1024),
    displayName: name(256),
    description: text(2000).default(''),
    attributes: attributes.default({}),
    roles: z
      .array(
        z.object({
          name: name(128),
          description: text(1000).default(''),
        }),
      )
      .max(50)
      .refine(
        (roles) => new Set(roles.map((r) => r.name)).size === roles.length,
        'role names must differ',
      )
      .optional(),
  })
  .strict();
export type ResourceInput = z.infer<typeof resourceInputSchema>;

export type ResourceWithRoles = Resource & { roles: ResourceRole[] };

export const resourceTask = (catalog: Catalog): Task =>
  catalog.isGeneral ? 'manageResourcesInGeneral' : 'manageResources';

export class ResourceService {
  constructor(private readonly ctx: DomainContext) {}

  async add(actor: Actor, catalogId: string, raw: ResourceInput): Promise<ResourceWithRoles> {
    const input = parseInput(resourceInputSchema, raw);
    const builtIn = BUILT_IN_ROLES[input.type];
    const roles = input.roles ?? builtIn?.map((name) => ({ name, description: '' }));
    if (!roles?.length) {
      throw new Invalid('roles', `A ${input.type} resource must declare at least one role.`);
    }
    if (builtIn && roles.some((r) => !builtIn.includes(r.name))) {
      throw new Invalid(
        'roles',
        `A ${input.type} resource has only the roles ${builtIn.join(', ')}.`,
      );
    }
    return this.ctx.db.transaction(async (em) => {
      const catalog = await em.findOneBy(Catalog, { id: catalogId });
      if (!catalog) throw new NotFound('Catalog', catalogId);
      await authorize(em, actor, resourceTask(catalog), catalogId);
      const { roles: _, ...fields } = input;
      const resource = await uniquely(
        em.save(em.create(Resource, { ...fields, catalogId })),
        `This ${input.type} (${input.originId}) is already in the catalog.`,
      );
      const saved = await em.save(
        roles.map((r) => em.create(ResourceRole, { ...r, resourceId: resource.id })),
      );
      await audit(
        em,
        this.ctx.clock,
        actor,
        'resource.added',
        { type: 'resource', id: resource.id },
        {
          catalogId,
          type: input.type,
          originId: input.originId,
          roles: roles.map((r) => r.name),
        },
      );
      return { ...resource, roles: saved };
    });
  }

  async get(id: string): Promise<ResourceWithRoles> {
    const resource = await this.ctx.db.manager.findOneBy(Resource, { id });
    if (!resource) throw new NotFound('Resource', id);
    return (await this.withRoles([resource]))[0];
  }

  async list(catalogId: string): Promise<ResourceWithRoles[]> {
    const resources = await this.ctx.db.manager.find(Resource, {
      where: { catalogId },
      order: { displayName: 'ASC' },
    });
    return this.withRoles(resources);
  }

  private async withRoles(resources: Resource[]): Promise<ResourceWithRoles[]> {
    const roles = resources.length
      ? await this.ctx.db.manager
          .createQueryBuilder(ResourceRole, 'rr')
          .where('rr.resource_id IN (:...ids)', { ids: resources.map((r) => r.id) })
          .orderBy('rr.name')
          .getMany()
      : [];
    return resources.map((r) => ({ ...r, roles: roles.filter((x) => x.resourceId === r.id) }));
  }

  /** A resource leaves its catalog only when no live access package uses one of its roles. */
  async remove(actor: Actor, resourceId: string): Promise<void> {
    await this.ctx.db.transaction(async (em) => {
      const resource = await em.findOneBy(Resource, { id: resourceId });
      if (!resource) throw new NotFound('Resource', resourceId);
      const catalog = await em.findOneByOrFail(Catalog, { id: resource.catalogId });
      await authorize(em, actor, resourceTask(catalog), catalog.id);
      const used: Array<{ name: string }> = await em.query(
        `SELECT DISTINCT p.name FROM access_package_resource_roles aprr
           JOIN resource_roles rr ON rr.id = aprr.resource_role_id
           JOIN access_packages p ON p.id = aprr.package_id
          WHERE rr.resource_id = $1 AND p.deleted_at IS NULL`,
        [resourceId],
      );
      if (used.length) {
        throw new Conflict(
          `Resource "${resource.displayName}" is used by ${used.map((u) => `"${u.name}"`).join(', ')}; remove it from those access packages first.`,
        );
      }
      const [{ history }] = await em.query(
        `SELECT count(*)::int AS history FROM fulfillments f JOIN resource_roles rr ON rr.id = f.resource_role_id
          WHERE rr.resource_id = $1`,
        [resourceId],
      );
      if (history) {
        throw new Conflict(
          `Resource "${resource.displayName}" has fulfillment history and is kept for the record.`,
        );
      }
      await em.query(
        `DELETE FROM access_package_resource_roles WHERE resource_role_id IN
           (SELECT id FROM resource_roles WHERE resource_id = $1)`,
        [resourceId],
      );
      await em.delete(Resource, resourceId);
      await audit(
        em,
        this.ctx.clock,
        actor,
        'resource.removed',
        { type: 'resource', id: resourceId },
        {
          catalogId: catalog.id,
        },
      );
    });
  }
}
