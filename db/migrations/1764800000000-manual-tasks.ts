import { MigrationInterface, QueryRunner } from 'typeorm';

// Systems with no API are provisioned by a person: the fulfillment waits ('awaiting') while
// the resource's catalog owners have a card with Done and Failed. The card's subject is the
// fulfillment row, versioned like requests and assignments so that every copy stays current.
// And a person whose access ends (expired, removed) is told.
export class ManualTasks1764800000000 implements MigrationInterface {
  name = 'ManualTasks1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE fulfillments DROP CONSTRAINT fulfillments_state_check`);
    await q.query(`ALTER TABLE fulfillments ADD CONSTRAINT fulfillments_state_check
      CHECK (state IN ('pending', 'awaiting', 'delivered', 'failed'))`);
    await q.query(`ALTER TABLE fulfillments
      ADD COLUMN completed_by uuid REFERENCES users(id) ON DELETE SET NULL,
      ADD COLUMN completed_at timestamptz,
      ADD COLUMN version bigint NOT NULL DEFAULT 0`);
    await q.query(`CREATE TRIGGER fulfillments_version BEFORE UPDATE ON fulfillments
      FOR EACH ROW EXECUTE FUNCTION bump_version()`);
    await q.query(`ALTER TABLE outbox_events DROP CONSTRAINT outbox_events_kind_check`);
    await q.query(`ALTER TABLE outbox_events ADD CONSTRAINT outbox_events_kind_check CHECK (kind IN
      ('approvalRequested', 'approvalReminder', 'requestDecided', 'requestCanceled',
       'assignmentChanged', 'assignmentEnded', 'taskRequested', 'taskChanged'))`);
    for (const table of ['chat_messages', 'chat_deliveries']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_subject_type_check`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_subject_type_check
        CHECK (subject_type IN ('request', 'assignment', 'fulfillment'))`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM chat_deliveries WHERE subject_type = 'fulfillment'`);
    await q.query(`DELETE FROM chat_messages WHERE subject_type = 'fulfillment'`);
    for (const table of ['chat_messages', 'chat_deliveries']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_subject_type_check`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_subject_type_check
        CHECK (subject_type IN ('request', 'assignment'))`);
    }
    await q.query(
      `DELETE FROM outbox_events WHERE kind IN ('assignmentEnded', 'taskRequested', 'taskChanged')`,
    );
    await q.query(`ALTER TABLE outbox_events DROP CONSTRAINT outbox_events_kind_check`);
    await q.query(`ALTER TABLE outbox_events ADD CONSTRAINT outbox_events_kind_check CHECK (kind IN
      ('approvalRequested', 'approvalReminder', 'requestDecided', 'requestCanceled',
       'assignmentChanged'))`);
    await q.query(`DROP TRIGGER fulfillments_version ON fulfillments`);
    await q.query(`ALTER TABLE fulfillments DROP COLUMN version, DROP COLUMN completed_at,
      DROP COLUMN completed_by`);
    await q.query(`UPDATE fulfillments SET state = 'pending' WHERE state = 'awaiting'`);
    await q.query(`ALTER TABLE fulfillments DROP CONSTRAINT fulfillments_state_check`);
    await q.query(`ALTER TABLE fulfillments ADD CONSTRAINT fulfillments_state_check
      CHECK (state IN ('pending', 'delivered', 'failed'))`);
  }
}
