import { MigrationInterface, QueryRunner } from 'typeorm';

// CSV exports read a package's requests and assignments in keyset pages, newest first: each
// page is an index range scan from the cursor instead of a sort of the package's whole history.
export class ExportOrderIndexes1764200000000 implements MigrationInterface {
  name = 'ExportOrderIndexes1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX access_requests_package_number_idx ON access_requests (package_id, number)`,
    );
    await q.query(
      `CREATE INDEX assignments_package_created_idx ON assignments (package_id, created_at, id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX assignments_package_created_idx`);
    await q.query(`DROP INDEX access_requests_package_number_idx`);
  }
}
