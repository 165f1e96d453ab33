import { z } from 'zod';
import type { Catalog, CatalogRoleName, User } from '../../../db/entities';
import type { ResourceWithRoles } from '../../domain/resources';
import { resourceInputSchema } from '../../domain/resources';
import { iso } from './dates';
import { userDto, userJson } from './directory';
import { dateTime, listOf, named, uuid } from './schemas';

export const catalogJson = named(
  'Catalog',
  z
    .object({
      id: uuid,
      name: z.string(),
      description: z.string(),
      enabled: z.boolean(),
      isGeneral: z.boolean(),
      createdBy: uuid.nullable().describe('Null when an admin API token or the system created it'),
      createdAt: dateTime,
      updatedAt: dateTime,
    })
    .strict(),
);
export type CatalogDto = z.output<typeof catalogJson>;
export const catalogListJson = listOf(catalogJson);

export const catalogDto = (c: Catalog): CatalogDto => ({
  id: c.id,
  name: c.name,
  description: c.description,
  enabled: c.enabled,
  isGeneral: c.isGeneral,
  createdBy: c.createdBy,
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
});

export const catalogMemberJson = named(
  'CatalogMember',
  z.object({ role: z.enum(['catalogOwner', 'packageManager']), user: userJson }).strict(),
);
export type CatalogMemberDto = z.output<typeof catalogMemberJson>;
export const catalogMemberListJson = listOf(catalogMemberJson);

export const catalogMemberDto = (m: { user: User; role: CatalogRoleName }): CatalogMemberDto => ({
  role: m.role,
  user: userDto(m.user),
});

export const resourceRoleJson = named(
  'ResourceRole',
  z.object({ id: uuid, name: z.string(), description: z.string() }).strict(),
);

export const resourceJson = named(
  'Resource',
  z
    .object({
      id: uuid,
      catalogId: uuid,
      type: z.enum(resourceInputSchema.shape.type.options),
      originId: z.string().describe("The resource's id in its own system"),
      displayName: z.string(),
      description: z.string(),
      attributes: z.record(z.string(), z.unknown()).describe('Kept for the connector'),
      roles: z.array(resourceRoleJson),
      createdAt: dateTime,
    })
    .strict(),
);
export type ResourceDto = z.output<typeof resourceJson>;
export const resourceListJson = listOf(resourceJson);

export const resourceDto = (r: ResourceWithRoles): ResourceDto => ({
  id: r.id,
  catalogId: r.catalogId,
  type: r.type,
  originId: r.originId,
  displayName: r.displayName,
  description: r.description,
  attributes: r.attributes,
  roles: r.roles.map((role) => ({ id: role.id, name: role.name, description: role.description })),
  createdAt: iso(r.createdAt),
});
