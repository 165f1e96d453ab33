import { MigrationInterface, QueryRunner } from 'typeorm';

// Approvers are reminded halfway through their window, and a request still waiting a day
// before its deadline goes to the catalog's owners too. Each happens once per request: the
// timestamps are what the scheduler's conditional UPDATE claims.
export class ApprovalReminders1764700000000 implements MigrationInterface {
  name = 'ApprovalReminders1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE access_requests
      ADD COLUMN reminded_at timestamptz, ADD COLUMN escalated_at timestamptz`);
    await q.query(`ALTER TABLE outbox_events DROP CONSTRAINT outbox_events_kind_check`);
    await q.query(`ALTER TABLE outbox_events ADD CONSTRAINT outbox_events_kind_check CHECK (kind IN
      ('approvalRequested', 'approvalReminder', 'requestDecided', 'requestCanceled',
       'assignmentChanged'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM outbox_events WHERE kind = 'approvalReminder'`);
    await q.query(`ALTER TABLE outbox_events DROP CONSTRAINT outbox_events_kind_check`);
    await q.query(`ALTER TABLE outbox_events ADD CONSTRAINT outbox_events_kind_check CHECK (kind IN
      ('approvalRequested', 'requestDecided', 'requestCanceled', 'assignmentChanged'))`);
    await q.query(`ALTER TABLE access_requests DROP COLUMN reminded_at, DROP COLUMN escalated_at`);
  }
}
