import { MigrationInterface, QueryRunner } from 'typeorm';

// Slack user groups become resources (granted by the Slack connector, by user group id).
export class SlackUserGroups1765000000000 implements MigrationInterface {
  name = 'SlackUserGroups1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE resources DROP CONSTRAINT resources_type_check`);
    await q.query(`ALTER TABLE resources ADD CONSTRAINT resources_type_check CHECK (type IN
      ('slackChannel', 'slackUserGroup', 'm365Group', 'appRole', 'webhook'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Deleting them would take packages' roles and people's fulfillment history with them.
    const [{ n }] = await q.query(
      `SELECT count(*)::int AS n FROM resources WHERE type = 'slackUserGroup'`,
    );
    if (n > 0) {
      throw new Error(`Remove the ${n} slackUserGroup resources before reverting this migration.`);
    }
    await q.query(`ALTER TABLE resources DROP CONSTRAINT resources_type_check`);
    await q.query(`ALTER TABLE resources ADD CONSTRAINT resources_type_check CHECK (type IN
      ('slackChannel', 'm365Group', 'appRole', 'webhook'))`);
  }
}
