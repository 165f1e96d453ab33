import { MigrationInterface, QueryRunner } from 'typeorm';

// Agenda's job table, as @agendajs/postgres-backend 3.0.6 defines it (schema.js), created here
// so that the schema has one history; the backend is started with ensureSchema off. Its
// unique index on single jobs is what keeps `every()` to one row per job across replicas.
// Agenda only says when to look: the due work itself is found in our tables, set-based.
export class Scheduler1764600000000 implements MigrationInterface {
  name = 'Scheduler1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agenda_jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(255) NOT NULL,
        priority integer NOT NULL DEFAULT 0,
        next_run_at timestamptz,
        type varchar(10) NOT NULL DEFAULT 'normal' CHECK (type IN ('normal', 'single')),
        locked_at timestamptz,
        last_finished_at timestamptz,
        failed_at timestamptz,
        fail_count integer DEFAULT NULL,
        fail_reason text,
        repeat_timezone varchar(100),
        last_run_at timestamptz,
        repeat_interval varchar(255),
        data jsonb DEFAULT '{}'::jsonb,
        repeat_at varchar(255),
        disabled boolean DEFAULT FALSE,
        progress real,
        fork boolean DEFAULT FALSE,
        last_modified_by varchar(255),
        debounce_started_at timestamptz,
        start_date timestamptz,
        end_date timestamptz,
        skip_days jsonb,
        created_at timestamptz DEFAULT now(),
        updated_at timestamptz DEFAULT now()
      )`);
    await q.query(`CREATE INDEX agenda_jobs_find_and_lock_idx
      ON agenda_jobs (name, next_run_at, priority DESC, locked_at, disabled) WHERE disabled = FALSE`);
    await q.query(
      `CREATE UNIQUE INDEX agenda_jobs_single_job_idx ON agenda_jobs (name) WHERE type = 'single'`,
    );
    await q.query(
      `CREATE INDEX agenda_jobs_locked_at_idx ON agenda_jobs (locked_at) WHERE locked_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX agenda_jobs_next_run_at_idx ON agenda_jobs (next_run_at)
      WHERE next_run_at IS NOT NULL`);
    await q.query(`
      CREATE FUNCTION update_agenda_jobs_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.updated_at = now();
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER agenda_jobs_updated_at_trigger BEFORE UPDATE ON agenda_jobs
      FOR EACH ROW EXECUTE FUNCTION update_agenda_jobs_updated_at()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE agenda_jobs`);
    await q.query(`DROP FUNCTION update_agenda_jobs_updated_at()`);
  }
}
