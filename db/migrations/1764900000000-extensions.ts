import { MigrationInterface, QueryRunner } from 'typeorm';

// Holders whose policy allows extensions are prompted 14 days and 1 day before their access
// ends: `extension_prompts` counts the prompts sent (0, 1, 2), reset when access is extended.
export class Extensions1764900000000 implements MigrationInterface {
  name = 'Extensions1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE assignments ADD COLUMN extension_prompts smallint NOT NULL DEFAULT 0`,
    );
    await q.query(`ALTER TABLE outbox_events DROP CONSTRAINT outbox_events_kind_check`);
    await q.query(`ALTER TABLE outbox_events ADD CONSTRAINT outbox_events_kind_check CHECK (kind IN
      ('approvalRequested', 'approvalReminder', 'requestDecided', 'requestCanceled',
       'assignmentChanged', 'assignmentEnded', 'taskRequested', 'taskChanged',
       'extensionPrompt'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM outbox_events WHERE kind = 'extensionPrompt'`);
    await q.query(`ALTER TABLE outbox_events DROP CONSTRAINT outbox_events_kind_check`);
    await q.query(`ALTER TABLE outbox_events ADD CONSTRAINT outbox_events_kind_check CHECK (kind IN
      ('approvalRequested', 'approvalReminder', 'requestDecided', 'requestCanceled',
       'assignmentChanged', 'assignmentEnded', 'taskRequested', 'taskChanged'))`);
    await q.query(`ALTER TABLE assignments DROP COLUMN extension_prompts`);
  }
}
