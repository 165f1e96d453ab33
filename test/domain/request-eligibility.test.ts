import { createHarness, packageWithPolicy, type Harness } from '../support/domain';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

test('each reason a user cannot request a package, in order', async () => {
  const u = await h.user('Eligible Eve');
  const owner = await h.user('Owner Olga');
  const approver = await h.user('Approver Abe');
  const check = (packageId: string) => h.services.eligibility.check(u, packageId);

  const open = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  expect(await check(open.pkg.id)).toMatchObject({
    requestable: true,
    policies: [{ id: open.policy.id }],
  });
  const { request } = await h.services.requests.submit(await h.actor(u), {
    packageId: open.pkg.id,
    justification: 'x',
  });
  expect(await check(open.pkg.id)).toEqual({
    requestable: false,
    reason: 'pending',
    number: request.number,
  });
  await h.services.decisions.decide(await h.actor(approver), request.id, { decision: 'approve' });
  expect(await check(open.pkg.id)).toMatchObject({ requestable: false, reason: 'hasAccess' });

  const narrow = await packageWithPolicy(h, {
    requestorScope: 'specificUsers',
    requestors: [{ userId: owner.id }],
    approvers: [{ userId: approver.id }],
  });
  await h.services.catalogs.setRole(h.api, narrow.catalog.id, owner.id, 'catalogOwner', true);
  expect(await check(narrow.pkg.id)).toEqual({
    requestable: false,
    reason: 'notInScope',
    owners: ['Owner Olga'],
  });
  await h.services.policies.setEnabled(h.api, narrow.policy.id, false);
  expect(await check(narrow.pkg.id)).toEqual({ requestable: false, reason: 'noEnabledPolicy' });
  await h.services.catalogs.update(h.api, narrow.catalog.id, { enabled: false });
  expect(await check(narrow.pkg.id)).toEqual({ requestable: false, reason: 'catalogDisabled' });
  await h.services.catalogs.update(h.api, narrow.catalog.id, { enabled: true });
  await h.services.packages.delete(h.api, narrow.pkg.id);
  expect(await check(narrow.pkg.id)).toEqual({ requestable: false, reason: 'notFound' });
});
