import { MigrationInterface, QueryRunner } from 'typeorm';

// A CSV asked for in chat is fetched through a short-lived link. Only a hash of the link's
// token is kept, so the table never holds a usable link; any replica can serve it.
export class DownloadLinks1764400000000 implements MigrationInterface {
  name = 'DownloadLinks1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE download_links (
        token_hash bytea PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        channel text NOT NULL CHECK (channel IN ('teams', 'slack')),
        kind text NOT NULL CHECK (kind IN ('requests', 'assignments')),
        query jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX download_links_expiry_idx ON download_links (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE download_links`);
  }
}
