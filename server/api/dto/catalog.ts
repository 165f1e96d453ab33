import type { Catalog, CatalogRoleName, User } from '../../../db/entities';
import type { ResourceWithRoles } from '../../domain/resources';
import { iso } from './dates';
import { userDto } from './directory';

export const catalogDto = (c: Catalog) => ({
  id: c.id,
  name: c.name,
  description: c.description,
  enabled: c.enabled,
  isGeneral: c.isGeneral,
  createdBy: c.createdBy,
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
});

export const catalogMemberDto = (m: { user: User; role: CatalogRoleName }) => ({
  role: m.role,
  user: userDto(m.user),
});

export const resourceDto = (r: ResourceWithRoles) => ({
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
