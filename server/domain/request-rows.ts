import type { EntityManager } from 'typeorm';
import { AccessPackage, AccessRequest } from '../../db/entities';
import { NotFound } from './errors';

/** A request row for the domain's own use: no rights are checked here. */
export async function loadRequest(em: EntityManager, id: string): Promise<AccessRequest> {
  const request = await em.findOneBy(AccessRequest, { id });
  if (!request) throw new NotFound('Request', id);
  return request;
}

/** The catalog a package belongs to, deleted or not: rights on history follow the catalog. */
export async function catalogOf(em: EntityManager, packageId: string): Promise<string> {
  return (await em.findOneByOrFail(AccessPackage, { id: packageId })).catalogId;
}
