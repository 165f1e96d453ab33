import { z } from 'zod';
import type { AccessPackage } from '../../../db/entities';
import type { PackageResourceRoleView } from '../../domain/packages';
import { iso } from './dates';
import { dateTime, listOf, named, uuid } from './schemas';

export const accessPackageJson = named(
  'AccessPackage',
  z
    .object({
      id: uuid,
      catalogId: uuid,
      name: z.string(),
      description: z.string(),
      hidden: z.boolean(),
      createdBy: uuid.nullable(),
      createdAt: dateTime,
      updatedAt: dateTime,
    })
    .strict(),
);
export type AccessPackageDto = z.output<typeof accessPackageJson>;
export const accessPackageListJson = listOf(accessPackageJson);

export const accessPackageDto = (p: AccessPackage): AccessPackageDto => ({
  id: p.id,
  catalogId: p.catalogId,
  name: p.name,
  description: p.description,
  hidden: p.hidden,
  createdBy: p.createdBy,
  createdAt: iso(p.createdAt),
  updatedAt: iso(p.updatedAt),
});

const packageResourceRoleShape = {
  resourceRoleId: uuid,
  roleName: z.string(),
  resourceId: uuid,
  resourceName: z.string(),
  resourceType: z.string(),
};

export const packageResourceRoleJson = named(
  'PackageResourceRole',
  z.object(packageResourceRoleShape).strict(),
);
export type PackageResourceRoleDto = z.output<typeof packageResourceRoleJson>;
export const packageResourceRoleListJson = listOf(packageResourceRoleJson);

export const packageResourceRoleDto = (r: PackageResourceRoleView): PackageResourceRoleDto => ({
  resourceRoleId: r.resourceRoleId,
  roleName: r.roleName,
  resourceId: r.resourceId,
  resourceName: r.resourceName,
  resourceType: r.resourceType,
});

/** What adding a role answers: the role, and how many current assignees get it now. */
export const resourceRoleAddedJson = named(
  'PackageResourceRoleAdded',
  z.object({ ...packageResourceRoleShape, grantsQueued: z.int().min(0) }).strict(),
);

export const resourceRoleRemovedJson = named(
  'PackageResourceRoleRemoved',
  z.object({ revocationsQueued: z.int().min(0) }).strict(),
);
