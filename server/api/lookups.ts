import { In, type DataSource } from 'typeorm';
import { AccessPackage, User } from '../../db/entities';
import type { RoleName } from './dto/assignment';

const distinct = (ids: Iterable<string | null>) => [
  ...new Set([...ids].filter((id): id is string => id !== null)),
];

/**
 * Read-only joins for listings the domain has already authorised: names and emails for the
 * ids it returned, in one query per table rather than one per row.
 */
export async function usersById(db: DataSource, ids: Iterable<string | null>) {
  const wanted = distinct(ids);
  const users = wanted.length ? await db.manager.findBy(User, { id: In(wanted) }) : [];
  return new Map(users.map((u) => [u.id, u]));
}

export async function packagesById(db: DataSource, ids: Iterable<string | null>) {
  const wanted = distinct(ids);
  const packages = wanted.length ? await db.manager.findBy(AccessPackage, { id: In(wanted) }) : [];
  return new Map(packages.map((p) => [p.id, p]));
}

export async function roleNamesById(
  db: DataSource,
  ids: Iterable<string | null>,
): Promise<Map<string, RoleName>> {
  const wanted = distinct(ids);
  if (!wanted.length) return new Map();
  const rows: Array<{ id: string; name: string; resource_id: string; display_name: string }> =
    await db.query(
      `SELECT rr.id, rr.name, r.id AS resource_id, r.display_name
         FROM resource_roles rr JOIN resources r ON r.id = rr.resource_id
        WHERE rr.id = ANY($1)`,
      [wanted],
    );
  return new Map(
    rows.map((r) => [
      r.id,
      { roleName: r.name, resourceId: r.resource_id, resourceName: r.display_name },
    ]),
  );
}
