import type { AccessPackage } from '../../../db/entities';
import type { PackageResourceRoleView } from '../../domain/packages';
import { iso } from './dates';

export const accessPackageDto = (p: AccessPackage) => ({
  id: p.id,
  catalogId: p.catalogId,
  name: p.name,
  description: p.description,
  hidden: p.hidden,
  createdBy: p.createdBy,
  createdAt: iso(p.createdAt),
  updatedAt: iso(p.updatedAt),
});

export const packageResourceRoleDto = (r: PackageResourceRoleView) => ({
  resourceRoleId: r.resourceRoleId,
  roleName: r.roleName,
  resourceId: r.resourceId,
  resourceName: r.resourceName,
  resourceType: r.resourceType,
});
