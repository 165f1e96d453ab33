import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox: what a state change must tell people commits with the change itself, and is
 * delivered afterwards by dispatchers in any process.
 *
 * - `outbox_events`: written by the domain in the changing transaction (ids only).
 * - `chat_deliveries`: one send each (post a card to a person, or update a posted card), made
 *   from an event once, claimed by one dispatcher at a time, retried with backoff.
 * - `version` on requests and assignments: bumped by every UPDATE, so a posted card knows
 *   which state it shows and an older render never replaces a newer one.
 */
export class Outbox1764300000000 implements MigrationInterface {
  name = 'Outbox1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.version := OLD.version + 1;
        RETURN NEW;
      END $$`);
    for (const table of ['access_requests', 'assignments']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN version bigint NOT NULL DEFAULT 1`);
      await q.query(`CREATE TRIGGER ${table}_version BEFORE UPDATE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION bump_version()`);
    }

    await q.query(`
      CREATE TABLE outbox_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN
          ('approvalRequested', 'requestDecided', 'requestCanceled', 'assignmentChanged')),
        subject_id uuid NOT NULL,
        recipients uuid[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        expanded_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX outbox_events_due_idx ON outbox_events (id) WHERE expanded_at IS NULL`,
    );

    // Posted cards remember the identity they went to (its conversation reference says where
    // the platform is reached) and the version of their subject they show.
    await q.query(`
      ALTER TABLE chat_messages
        ADD COLUMN identity_id uuid REFERENCES user_identities(id) ON DELETE CASCADE,
        ADD COLUMN version bigint NOT NULL DEFAULT 0`);

    await q.query(`
      CREATE TABLE chat_deliveries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id bigint REFERENCES outbox_events(id) ON DELETE SET NULL,
        action text NOT NULL CHECK (action IN ('post', 'update')),
        card text NOT NULL,
        subject_type text NOT NULL CHECK (subject_type IN ('request', 'assignment')),
        subject_id uuid NOT NULL,
        identity_id uuid REFERENCES user_identities(id) ON DELETE CASCADE,
        chat_message_id uuid REFERENCES chat_messages(id) ON DELETE CASCADE,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
        due_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        done_at timestamptz,
        CHECK ((action = 'post') = (identity_id IS NOT NULL AND chat_message_id IS NULL)),
        CHECK ((action = 'update') = (chat_message_id IS NOT NULL))
      )`);
    await q.query(
      `CREATE INDEX chat_deliveries_due_idx ON chat_deliveries (due_at) WHERE state = 'pending'`,
    );
    // An update re-renders the current state when it is sent, so one waiting update per card
    // is enough: later changes fold into it.
    await q.query(`CREATE UNIQUE INDEX chat_deliveries_one_waiting_update
      ON chat_deliveries (chat_message_id) WHERE state = 'pending' AND lease_until IS NULL`);
    // One card of a kind per identity and subject: a re-expanded event cannot post it twice.
    await q.query(`CREATE UNIQUE INDEX chat_deliveries_one_post
      ON chat_deliveries (identity_id, card, subject_id) WHERE action = 'post'`);

    // Dispatchers sleep until a commit adds work (NOTIFY is delivered at commit).
    await q.query(`
      CREATE FUNCTION notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('accessbot_outbox', TG_TABLE_NAME);
        RETURN NULL;
      END $$`);
    for (const table of ['outbox_events', 'chat_deliveries']) {
      await q.query(`CREATE TRIGGER ${table}_notify AFTER INSERT ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE chat_deliveries`);
    await q.query(`DROP TABLE outbox_events`);
    await q.query(`DROP FUNCTION notify_outbox()`);
    await q.query(`ALTER TABLE chat_messages DROP COLUMN version, DROP COLUMN identity_id`);
    for (const table of ['access_requests', 'assignments']) {
      await q.query(`DROP TRIGGER ${table}_version ON ${table}`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN version`);
    }
    await q.query(`DROP FUNCTION bump_version()`);
  }
}
