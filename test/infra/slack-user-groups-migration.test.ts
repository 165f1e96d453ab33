import { SlackUserGroups1765000000000 } from '../../db/migrations/1765000000000-slack-user-groups';
import { createHarness, type Harness } from '../support/domain';

// Reverting the migration that allows slackUserGroup resources must not drop anyone's data.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

test('down refuses while user groups are resources; without them it reverts, and up again', async () => {
  const migration = new SlackUserGroups1765000000000();
  const q = h.db.dataSource.createQueryRunner();
  const catalog = await h.services.catalogs.create(h.api, {
    name: 'Slack',
    description: '',
    enabled: true,
  });
  const add = () =>
    h.services.resources.add(h.api, catalog.id, {
      type: 'slackUserGroup',
      originId: 'S0OPS',
      displayName: 'ops',
      description: '',
      attributes: {},
    });
  try {
    const group = await add();
    await expect(migration.down(q)).rejects.toThrow(
      'Remove the 1 slackUserGroup resources before reverting this migration.',
    );
    await h.services.resources.remove(h.api, group.id);
    await migration.down(q);
    await expect(add()).rejects.toThrow(/resources_type_check/);
    await migration.up(q);
    expect((await add()).roles.map((r) => r.name)).toEqual(['member']);
  } finally {
    await q.release();
  }
});
