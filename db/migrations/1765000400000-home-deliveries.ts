import { MigrationInterface, QueryRunner } from 'typeorm';

// A Slack user's App Home shows their access, their open requests and what waits for their
// decision; when any of it changes, the outbox republishes it. A 'publish' delivery goes to an
// identity (like a post) and keeps no message (a Home is replaced whole, never updated by id).
// One waiting publish per identity: a burst of changes folds into one, as waiting updates of a
// card do.
export class HomeDeliveries1765000400000 implements MigrationInterface {
  name = 'HomeDeliveries1765000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE chat_deliveries
      DROP CONSTRAINT chat_deliveries_action_check,
      DROP CONSTRAINT chat_deliveries_check,
      DROP CONSTRAINT chat_deliveries_subject_type_check`);
    await q.query(`ALTER TABLE chat_deliveries
      ADD CONSTRAINT chat_deliveries_action_check CHECK (action IN ('post', 'update', 'publish')),
      ADD CONSTRAINT chat_deliveries_check CHECK ((action IN ('post', 'publish')) =
        (identity_id IS NOT NULL AND chat_message_id IS NULL)),
      ADD CONSTRAINT chat_deliveries_subject_type_check
        CHECK (subject_type IN ('request', 'assignment', 'fulfillment', 'user'))`);
    await q.query(`CREATE UNIQUE INDEX chat_deliveries_one_waiting_publish
      ON chat_deliveries (identity_id) WHERE action = 'publish' AND state = 'pending'
        AND lease_until IS NULL`);
    // Who was asked to decide a request is found among its events (approvalRequested), so
    // that a decision republishes every approver's Home.
    await q.query(`CREATE INDEX outbox_events_subject_idx ON outbox_events (subject_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_events_subject_idx`);
    await q.query(`DROP INDEX chat_deliveries_one_waiting_publish`);
    await q.query(`DELETE FROM chat_deliveries WHERE action = 'publish'`);
    await q.query(`ALTER TABLE chat_deliveries
      DROP CONSTRAINT chat_deliveries_action_check,
      DROP CONSTRAINT chat_deliveries_check,
      DROP CONSTRAINT chat_deliveries_subject_type_check`);
    await q.query(`ALTER TABLE chat_deliveries
      ADD CONSTRAINT chat_deliveries_action_check CHECK (action IN ('post', 'update')),
      ADD CONSTRAINT chat_deliveries_check
        CHECK ((action = 'post') = (identity_id IS NOT NULL AND chat_message_id IS NULL)),
      ADD CONSTRAINT chat_deliveries_subject_type_check
        CHECK (subject_type IN ('request', 'assignment', 'fulfillment'))`);
  }
}
