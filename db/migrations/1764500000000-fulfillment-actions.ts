import { MigrationInterface, QueryRunner } from 'typeorm';

// Provisioning leaves the request that caused it: workers claim due fulfillment rows. A claim
// is a lease held by a token, apart from the retry time, so that a row whose action changes
// while a call is in flight waits for that call before its new action runs. The generation
// names the action a result belongs to: a grant's late result never lands on a revocation.
export class FulfillmentActions1764500000000 implements MigrationInterface {
  name = 'FulfillmentActions1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE fulfillments
        ADD COLUMN generation integer NOT NULL DEFAULT 0,
        ADD COLUMN claim_token uuid,
        ADD COLUMN claimed_until timestamptz`);
    // Work a worker may take now: not waiting for a retry and not held by another worker.
    await q.query(`DROP INDEX fulfillments_due_idx`);
    await q.query(`CREATE INDEX fulfillments_due_idx ON fulfillments (next_attempt_at NULLS FIRST)
      WHERE state IN ('pending', 'failed')`);
    // Workers sleep until a commit leaves a row ready to claim (NOTIFY is delivered at commit;
    // repeated notifications in one transaction are folded into one).
    await q.query(`
      CREATE FUNCTION notify_fulfillment() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('accessbot_fulfillment', '');
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER fulfillments_notify AFTER INSERT OR UPDATE ON fulfillments
      FOR EACH ROW WHEN (NEW.state = 'pending' AND NEW.claim_token IS NULL)
      EXECUTE FUNCTION notify_fulfillment()`);
    await q.query(`CREATE TRIGGER assignments_started_notify AFTER UPDATE OF state ON assignments
      FOR EACH ROW WHEN (OLD.state = 'scheduled' AND NEW.state <> 'scheduled')
      EXECUTE FUNCTION notify_fulfillment()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER assignments_started_notify ON assignments`);
    await q.query(`DROP TRIGGER fulfillments_notify ON fulfillments`);
    await q.query(`DROP FUNCTION notify_fulfillment()`);
    await q.query(`DROP INDEX fulfillments_due_idx`);
    await q.query(`CREATE INDEX fulfillments_due_idx ON fulfillments (next_attempt_at)
      WHERE state IN ('pending', 'failed')`);
    await q.query(`ALTER TABLE fulfillments DROP COLUMN claimed_until, DROP COLUMN claim_token,
      DROP COLUMN generation`);
  }
}
