import { MigrationInterface, QueryRunner } from 'typeorm';

// Slack delivers an event again when it did not get a 200 in time (and any replica may get the
// retry). The first delivery's id is kept here, so that an event is acted on once; rows are
// only needed while retries can come, and are pruned as new ones arrive.
export class InboundEvents1765050000000 implements MigrationInterface {
  name = 'InboundEvents1765050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inbound_events (
        source text NOT NULL,
        event_id text NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (source, event_id)
      )`);
    await q.query(`CREATE INDEX inbound_events_received_idx ON inbound_events (received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbound_events`);
  }
}
