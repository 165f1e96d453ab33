import { Policy } from '../../db/entities';
import { MAX_POLICIES_PER_PACKAGE } from '../../server/domain/policies';
import { policyInputSchema } from '../../server/domain/policy-settings';
import { createHarness, packageWithPolicy, policy, type Harness } from '../support/domain';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const issuesOf = (input: unknown) => {
  const r = policyInputSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('policy settings are validated, naming the field', () => {
  const base = { name: 'P', requestorScope: 'allMembers', approvalRequired: false };
  test.each([
    [{ approvalTimeoutDays: 0 }, 'approvalTimeoutDays'],
    [{ approvalTimeoutDays: 15 }, 'approvalTimeoutDays'],
    [{ expiration: { type: 'afterDays', days: -1 } }, 'expiration.days'],
    [{ expiration: { type: 'afterDays', days: 3661 } }, 'expiration.days'],
    [{ expiration: { type: 'afterHours', hours: 0 } }, 'expiration.hours'],
    [{ expiration: { type: 'sometime' } }, 'expiration.type'],
    [{ approvalRequired: true }, 'approvers'],
    [{ requestorScope: 'specificUsers' }, 'requestors'],
    [{ requestorScope: 'externalDomains' }, 'externalDomains'],
    [{ requestorScope: 'externalDomains', externalDomains: ['not a domain'] }, 'externalDomains.0'],
    [{ name: '' }, 'name'],
    [{ surprise: true }, ''],
  ])('%j is refused at %s', (patch, field) => {
    expect(issuesOf({ ...base, ...patch })).toContain(field);
  });

  test.each([
    [{ approvalTimeoutDays: 1 }],
    [{ approvalTimeoutDays: 14 }],
    [{ expiration: { type: 'afterDays', days: 0 } }],
    [{ expiration: { type: 'afterDays', days: 3660 } }],
    [{ expiration: { type: 'never' } }],
  ])('%j is accepted', (patch) => {
    expect(issuesOf({ ...base, ...patch })).toEqual([]);
  });
});

test('an expiration date in the past is refused', async () => {
  const { pkg } = await packageWithPolicy(h, { requestorScope: 'none' });
  await expect(
    h.services.policies.create(
      h.api,
      pkg.id,
      policy({
        requestorScope: 'none',
        expiration: { type: 'onDate', date: new Date(h.clock.now().getTime() - 1000) },
      }),
    ),
  ).rejects.toMatchObject({ code: 'invalid', details: { field: 'expiration.date' } });
});

test('principals must exist', async () => {
  const { pkg } = await packageWithPolicy(h, { requestorScope: 'none' });
  await expect(
    h.services.policies.create(
      h.api,
      pkg.id,
      policy({
        requestorScope: 'allMembers',
        approvers: [{ userId: '00000000-0000-4000-8000-000000000001' }],
      }),
    ),
  ).rejects.toMatchObject({ code: 'invalid', details: { field: 'approvers' } });
});

test('a direct-assignment policy carries no request settings', async () => {
  const { policy: p } = await packageWithPolicy(h, {
    requestorScope: 'none',
    approvalRequired: true,
    approvers: [],
  });
  expect(p.approvalRequired).toBe(false);
  expect(p.requestorJustificationRequired).toBe(false);
});

test('an edit is validated as a whole: clearing approvers of an approval policy is refused', async () => {
  const approver = await h.user('Only Approver');
  const { policy: p } = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  await expect(h.services.policies.update(h.api, p.id, { approvers: [] })).rejects.toMatchObject({
    code: 'invalid',
    details: { field: 'approvers' },
  });
  expect((await h.services.policies.get(p.id)).approvers).toEqual([{ userId: approver.id }]);
});

test('enable and disable; a disabled policy admits nobody', async () => {
  const u = await h.user('Policy Toggler');
  const { pkg, policy: p } = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvalRequired: false,
  });
  await h.services.policies.setEnabled(h.api, p.id, false);
  await expect(
    h.services.requests.submit(await h.actor(u), { packageId: pkg.id, justification: 'x' }),
  ).rejects.toMatchObject({
    code: 'forbidden',
  });
  await h.services.policies.setEnabled(h.api, p.id, true);
  expect(
    (await h.services.requests.submit(await h.actor(u), { packageId: pkg.id, justification: 'x' }))
      .request.state,
  ).toBe('delivering');
});

test(`a package has at most ${MAX_POLICIES_PER_PACKAGE} policies`, async () => {
  const { pkg } = await packageWithPolicy(h, { requestorScope: 'none' });
  for (let i = 1; i < MAX_POLICIES_PER_PACKAGE; i++) {
    await h.services.policies.create(
      h.api,
      pkg.id,
      policy({ name: `P${i}`, requestorScope: 'none' }),
    );
  }
  await expect(
    h.services.policies.create(h.api, pkg.id, policy({ requestorScope: 'none' })),
  ).rejects.toMatchObject({
    code: 'conflict',
  });
  expect(await h.db.dataSource.manager.countBy(Policy, { packageId: pkg.id })).toBe(
    MAX_POLICIES_PER_PACKAGE,
  );
});
