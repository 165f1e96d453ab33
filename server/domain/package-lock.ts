import type { EntityManager } from 'typeorm';
import { AccessPackage } from '../../db/entities';
import { NotFound } from './errors';

/**
 * Row locks on an access package, taken before any request or assignment row is touched (one
 * lock order everywhere, so no deadlock). They close the read-then-write races around a
 * package's life: an approval racing a delete, a role added while an assignment is created,
 * an eleventh policy.
 *
 * - `use`: submit, decide, direct assignment, policy edits. FOR KEY SHARE: any number at once,
 *   and package edits (renames, hiding) do not wait for them.
 * - `count`: adding a policy. FOR NO KEY UPDATE: one at a time per package, so the count of
 *   policies it checks cannot change under it; `use` holders do not wait.
 * - `change`: deleting the package or changing its resource roles. FOR UPDATE: waits for every
 *   transaction using the package, then keeps new ones out until it commits.
 *
 * A waiter re-reads the row once the lock is granted, so it sees a delete that just committed.
 * A `change` also writes the row, giving it a new version (xmin): a decision, which checks the
 * package in the same statement as it writes (decision-write.ts), sees by that version that the
 * roles it read may have changed, and reads again.
 */
const MODES = {
  use: 'for_key_share',
  count: 'for_no_key_update',
  change: 'pessimistic_write',
} as const;

export type PackageLock = keyof typeof MODES;

/** Locks the package row and returns it, deleted or not; null when there is no such row. */
export async function lockPackageRow(
  em: EntityManager,
  id: string,
  mode: PackageLock,
): Promise<AccessPackage | null> {
  const pkg = await em.findOne(AccessPackage, { where: { id }, lock: { mode: MODES[mode] } });
  if (pkg && mode === 'change') {
    await em.query(`UPDATE access_packages SET updated_at = now() WHERE id = $1`, [id]);
  }
  return pkg;
}

/** Locks a live package; a deleted one (kept only for its history) is not found. */
export async function lockPackage(
  em: EntityManager,
  id: string,
  mode: PackageLock,
): Promise<AccessPackage> {
  const pkg = await lockPackageRow(em, id, mode);
  if (!pkg || pkg.deletedAt) throw new NotFound('Access package', id);
  return pkg;
}
