import { MigrationInterface, QueryRunner } from 'typeorm';

// Every audit event names the channel it came through and, for the admin API, the name of the
// token used, so that an integration acting on a user's behalf is never mistaken for the user.
export class AuditChannel1764100000000 implements MigrationInterface {
  name = 'AuditChannel1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_events
        ADD COLUMN channel text NOT NULL DEFAULT 'system'
          CHECK (channel IN ('adminApi', 'teams', 'slack', 'scheduler', 'system')),
        ADD COLUMN api_token text`);
    // Before this migration the only ways in were the single admin API token and the system
    // itself: events by the token, or by a user it named, came through the API.
    await q.query(`
      UPDATE audit_events SET channel = 'adminApi', api_token = 'default',
             actor_label = CASE WHEN actor_label = 'api' THEN 'api:default' ELSE actor_label END
       WHERE actor_label = 'api' OR actor_id IS NOT NULL`);
    // No default from now on: every writer must say where an event came from.
    await q.query(`ALTER TABLE audit_events ALTER COLUMN channel DROP DEFAULT`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events DROP COLUMN api_token, DROP COLUMN channel`);
  }
}
