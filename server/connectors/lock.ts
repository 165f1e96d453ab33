import type { DataSource } from 'typeorm';
import { Transient } from './retry';

/**
 * Runs `fn` while no other caller, in this process or another, holds the same key: for
 * read-modify-write changes to a remote system that has no compare-and-swap of its own.
 */
export type WithLock = <T>(key: string, fn: () => Promise<T>) => Promise<T>;

// The first key of PostgreSQL's two-key advisory locks, whose space is apart from the one-key
// locks (migrations, test set-up): connector keys cannot meet those.
const CONNECTOR_LOCKS = 1_392_010;
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * A transaction-scoped advisory lock on a connection of its own, held while `fn` runs and
 * released when the transaction ends, even if the process dies. A holder stuck longer than
 * `waitMs` makes the waiter fail (and its fulfillment retry later) rather than wait forever.
 */
export function advisoryLock(db: DataSource, o: { waitMs?: number } = {}): WithLock {
  const waitMs = o.waitMs ?? 60_000;
  return (key, fn) =>
    db.transaction(async (em) => {
      await em.query(`SELECT set_config('lock_timeout', $1, true)`, [`${waitMs}ms`]);
      try {
        await em.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CONNECTOR_LOCKS, key]);
      } catch (err) {
        if ((err as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw err;
        throw new Transient(`Another change to ${key} has taken over ${waitMs / 1000} s.`);
      }
      return fn();
    });
}
