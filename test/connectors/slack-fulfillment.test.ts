import pino from 'pino';
import { ConnectorRouter } from '../../server/connectors';
import { advisoryLock } from '../../server/connectors/lock';
import { createServices } from '../../server/domain/services';
import { createHarness, packageWithPolicy, type Harness } from '../support/domain';
import { BOT_USER_ID, FakeSlack } from '../support/slack/fake-slack';
import { connectorsOn } from '../support/slack/connector-fixtures';

// A package of Slack resources, provisioned by the real fulfillment worker through the Slack
// connectors: each role's state and error as an admin sees them, then the removal.

let h: Harness;
let slack: FakeSlack;
beforeAll(async () => {
  h = await createHarness();
  slack = await new FakeSlack().start();
});
afterAll(async () => {
  await slack.stop();
  await h.close();
});

test('a channel and a user group granted, an archived channel failed; removal revokes', async () => {
  const fixture = await packageWithPolicy(h, { requestorScope: 'none' });
  const names = new Map<string, string>();
  for (const [type, originId, name] of [
    ['slackChannel', 'C0PAY', 'payroll'],
    ['slackChannel', 'C0OLD', 'archive'],
    ['slackUserGroup', 'S0OPS', 'ops'],
  ] as const) {
    const resource = await h.services.resources.add(h.api, fixture.catalog.id, {
      type,
      originId,
      displayName: name,
      description: '',
      attributes: {},
    });
    expect(resource.roles.map((r) => r.name)).toEqual(['member']);
    await h.services.packages.addResourceRole(h.api, fixture.pkg.id, resource.roles[0].id);
    names.set(resource.roles[0].id, name);
  }
  const user = await h.user('Dana Slack');
  slack.add({ id: 'U0DANA', teamId: 'T1', name: 'Dana', email: user.email, emailConfirmed: true });
  slack.add({
    id: 'U0EVE',
    teamId: 'T1',
    name: 'Eve',
    email: 'eve@woodgrove.example',
    emailConfirmed: true,
  });
  slack.channels.set('C0PAY', { members: new Set([BOT_USER_ID]) });
  slack.channels.set('C0OLD', { members: new Set([BOT_USER_ID]), archived: true });
  slack.userGroups.set('S0OPS', ['U0EVE']);

  const { slackChannel, slackUserGroup } = connectorsOn(slack, {
    withLock: advisoryLock(h.db.dataSource),
  });
  const worker = createServices({
    ...h.services.ctx,
    provisioner: new ConnectorRouter({ slackChannel, slackUserGroup }),
    logger: pino({ level: 'silent' }),
  }).fulfillment;
  const roles = async (assignmentId: string) =>
    Object.fromEntries(
      (await h.services.assignments.fulfillments(h.api, assignmentId)).map((r) => [
        names.get(r.resourceRoleId) ?? 'group',
        { action: r.action, state: r.state, error: r.lastError },
      ]),
    );

  const assignment = await h.services.assignments.assignDirectly(h.api, {
    userId: user.id,
    packageId: fixture.pkg.id,
    policyId: fixture.policy.id,
  });
  await worker.runUntilIdle();
  expect((await h.services.assignments.get(h.api, assignment.id)).state).toBe('partiallyDelivered');
  expect(await roles(assignment.id)).toMatchObject({
    payroll: { state: 'delivered', error: null },
    ops: { state: 'delivered', error: null },
    archive: { state: 'failed', error: expect.stringMatching(/^Slack channel C0OLD is archived/) },
  });
  expect(slack.channels.get('C0PAY')!.members.has('U0DANA')).toBe(true);
  expect(slack.userGroups.get('S0OPS')).toEqual(['U0EVE', 'U0DANA']);

  await h.services.assignments.remove(h.api, assignment.id);
  await worker.runUntilIdle();
  expect(await roles(assignment.id)).toMatchObject({
    payroll: { action: 'revoke', state: 'delivered' },
    ops: { action: 'revoke', state: 'delivered' },
  });
  expect(slack.channels.get('C0PAY')!.members.has('U0DANA')).toBe(false);
  expect(slack.userGroups.get('S0OPS')).toEqual(['U0EVE']);
});
