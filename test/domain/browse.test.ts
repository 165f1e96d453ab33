import type { User } from '../../db/entities';
import { createHarness, packageWithPolicy, type Harness } from '../support/domain';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const names = async (user: User, text?: string) =>
  (await h.services.browse.browse(user, { text, limit: 50 })).items.map((i) => i.id);

test('lists packages whose enabled policies admit the user, and nothing else', async () => {
  const me = await h.user('Browser');
  const group = await h.services.directory.createGroup(h.api, {
    name: 'Browsers',
    description: '',
  });
  await h.services.directory.addGroupMember(h.api, group.id, me.id);
  const someoneElse = await h.user('Someone Else');

  const everyone = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvalRequired: false,
  });
  const byName = await packageWithPolicy(h, {
    requestorScope: 'specificUsers',
    requestors: [{ userId: me.id }],
    approvalRequired: false,
  });
  const byGroup = await packageWithPolicy(h, {
    requestorScope: 'specificUsers',
    requestors: [{ groupId: group.id }],
    approvalRequired: false,
  });
  const notMine = await packageWithPolicy(h, {
    requestorScope: 'specificUsers',
    requestors: [{ userId: someoneElse.id }],
    approvalRequired: false,
  });
  const adminOnly = await packageWithPolicy(h, { requestorScope: 'none' });
  const hidden = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvalRequired: false,
  });
  await h.services.packages.setHidden(h.api, hidden.pkg.id, true);
  const disabledPolicy = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvalRequired: false,
  });
  await h.services.policies.setEnabled(h.api, disabledPolicy.policy.id, false);
  const disabledCatalog = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvalRequired: false,
  });
  await h.services.catalogs.update(h.api, disabledCatalog.catalog.id, { enabled: false });
  const deleted = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvalRequired: false,
  });
  await h.services.packages.delete(h.api, deleted.pkg.id);

  const seen = await names(me);
  expect(seen.sort()).toEqual([everyone.pkg.id, byName.pkg.id, byGroup.pkg.id].sort());
  expect(seen).not.toContain(notMine.pkg.id);
  expect(seen).not.toContain(adminOnly.pkg.id);

  // Leaving the group takes its packages out of the list.
  await h.services.directory.removeGroupMember(h.api, group.id, me.id);
  expect(await names(me)).not.toContain(byGroup.pkg.id);
});

test('external users see packages of policies naming their domain, subdomains included, and not member-only ones', async () => {
  const guest = await h.user('Guest', { kind: 'external', email: 'guest@eu.contoso.example' });
  const other = await h.user('Other Guest', { kind: 'external', email: 'guest@fabrikam.example' });
  const members = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvalRequired: false,
  });
  const contoso = await packageWithPolicy(h, {
    requestorScope: 'externalDomains',
    externalDomains: ['contoso.example'],
    approvalRequired: false,
  });
  expect(await names(guest)).toEqual([contoso.pkg.id]);
  expect(await names(other)).not.toContain(contoso.pkg.id);
  expect(await names(guest)).not.toContain(members.pkg.id);
  expect(
    (
      await h.services.requests.submit(await h.actor(guest), {
        packageId: contoso.pkg.id,
        justification: 'partner',
      })
    ).request.state,
  ).toBe('delivering');
});

test('text search matches substrings of name and description; LIKE wildcards are literal', async () => {
  const me = await h.user('Searcher');
  const a = await packageWithPolicy(h, { requestorScope: 'allMembers', approvalRequired: false });
  await h.services.packages.update(h.api, a.pkg.id, {
    name: 'Payroll 100% access',
    description: 'Finance systems',
  });
  const b = await packageWithPolicy(h, { requestorScope: 'allMembers', approvalRequired: false });
  await h.services.packages.update(h.api, b.pkg.id, {
    name: 'Payroll readers',
    description: 'read only',
  });
  expect((await names(me, 'payroll')).sort()).toEqual([a.pkg.id, b.pkg.id].sort());
  expect(await names(me, 'FINANCE')).toEqual([a.pkg.id]);
  expect(await names(me, '100%')).toEqual([a.pkg.id]);
  expect(await names(me, '%')).toEqual([a.pkg.id]);
  expect(await names(me, 'payroll_')).toEqual([]);
});

test('pages follow the name order without gaps or repeats, and a bad cursor is a clear error', async () => {
  const me = await h.user('Pager');
  const group = await h.services.directory.createGroup(h.api, { name: 'Pagers', description: '' });
  await h.services.directory.addGroupMember(h.api, group.id, me.id);
  const created = [];
  for (let i = 0; i < 7; i++) {
    const f = await packageWithPolicy(h, {
      requestorScope: 'specificUsers',
      requestors: [{ groupId: group.id }],
      approvalRequired: false,
    });
    await h.services.packages.update(h.api, f.pkg.id, {
      name: `Paged ${String.fromCharCode(71 - i)}`,
    });
    created.push(f.pkg.id);
  }
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await h.services.browse.browse(me, { text: 'paged', limit: 3, cursor });
    expect(page.items.length).toBeLessThanOrEqual(3);
    seen.push(...page.items.map((i) => i.name));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  expect(seen).toEqual([
    'Paged A',
    'Paged B',
    'Paged C',
    'Paged D',
    'Paged E',
    'Paged F',
    'Paged G',
  ]);
  await expect(h.services.browse.browse(me, { cursor: 'not-a-cursor' })).rejects.toMatchObject({
    code: 'invalid',
    details: { field: 'cursor' },
  });
});
