import { MigrationInterface, QueryRunner } from 'typeorm';
import { NOTIFY_AFTER_COMMIT, NOTIFY_SETTING } from '../notify-after-commit';

// A transaction that has notified holds a database-wide lock from its commit until the commit
// is flushed to disk, so such commits are flushed one at a time instead of together. The
// hottest write, a decision, opts out and is followed by a notification of its own
// (server/work/after-commit-notifier.ts); every other write notifies as before.
const unlessAfterCommit = `current_setting('${NOTIFY_SETTING}', true) IS DISTINCT FROM '${NOTIFY_AFTER_COMMIT}'`;

const TRIGGERS = (when: (condition: string) => string) => [
  ...['outbox_events', 'chat_deliveries'].map(
    (table) => `CREATE TRIGGER ${table}_notify AFTER INSERT ON ${table}
      FOR EACH STATEMENT ${when('')} EXECUTE FUNCTION notify_outbox()`,
  ),
  `CREATE TRIGGER fulfillments_notify AFTER INSERT OR UPDATE ON fulfillments
    FOR EACH ROW ${when(`NEW.state = 'pending' AND NEW.claim_token IS NULL`)}
    EXECUTE FUNCTION notify_fulfillment()`,
  `CREATE TRIGGER assignments_started_notify AFTER UPDATE OF state ON assignments
    FOR EACH ROW ${when(`OLD.state = 'scheduled' AND NEW.state <> 'scheduled'`)}
    EXECUTE FUNCTION notify_fulfillment()`,
];

const DROPS = [
  `DROP TRIGGER outbox_events_notify ON outbox_events`,
  `DROP TRIGGER chat_deliveries_notify ON chat_deliveries`,
  `DROP TRIGGER fulfillments_notify ON fulfillments`,
  `DROP TRIGGER assignments_started_notify ON assignments`,
];

export class NotifyAfterCommit1765100000000 implements MigrationInterface {
  name = 'NotifyAfterCommit1765100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of DROPS) await q.query(sql);
    const when = (condition: string) =>
      `WHEN (${condition ? `${condition} AND ` : ''}${unlessAfterCommit})`;
    for (const sql of TRIGGERS(when)) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of DROPS) await q.query(sql);
    for (const sql of TRIGGERS((condition) => (condition ? `WHEN (${condition})` : ''))) {
      await q.query(sql);
    }
  }
}
