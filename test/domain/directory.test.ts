import { AuditEvent, UserIdentity } from '../../db/entities';
import { createServices } from '../../server/domain/services';
import { createHarness, failure, type Harness } from '../support/domain';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

test('one person across platforms: identities are linked by verified email', async () => {
  const fromSlack = await h.services.directory.resolvePlatformUser({
    platform: 'slack',
    tenantId: 'T1',
    platformUserId: 'U1',
    email: 'Dana@Woodgrove.example',
    displayName: 'Dana',
  });
  const fromTeams = await h.services.directory.resolvePlatformUser({
    platform: 'teams',
    tenantId: 'tenant-1',
    platformUserId: 'aad-1',
    email: 'dana@woodgrove.example',
    displayName: 'Dana Teams',
    conversationReference: { conversation: { id: 'c1' } },
  });
  expect(fromTeams.id).toBe(fromSlack.id);
  expect(fromSlack.email).toBe('dana@woodgrove.example');
  expect(fromSlack.domain).toBe('woodgrove.example');
  const identities = await h.services.directory.identitiesOf(fromSlack.id);
  expect(identities.map((i) => i.platform).sort()).toEqual(['slack', 'teams']);

  const events = await h.db.dataSource.manager.findBy(AuditEvent, { subjectId: fromSlack.id });
  expect(events.map((e) => e.action).sort()).toEqual([
    'user.created',
    'user.identityLinked',
    'user.identityLinked',
  ]);
});

test('a known identity returns its user and keeps the latest conversation reference', async () => {
  const profile = {
    platform: 'teams' as const,
    tenantId: 'tenant-1',
    platformUserId: 'aad-2',
    email: 'erin@woodgrove.example',
    displayName: 'Erin',
  };
  const first = await h.services.directory.resolvePlatformUser(profile);
  const again = await h.services.directory.resolvePlatformUser({
    ...profile,
    conversationReference: { conversation: { id: 'c2' } },
  });
  expect(again.id).toBe(first.id);
  const [identity] = await h.db.dataSource.manager.findBy(UserIdentity, { userId: first.id });
  expect(identity.conversationReference).toEqual({ conversation: { id: 'c2' } });
});

test('a chat profile without an email is refused with a reason; a missing name is filled in', async () => {
  const base = { platform: 'slack' as const, tenantId: 'T1', displayName: 'Bot-ish' };
  for (const email of ['', 'not-an-email']) {
    const refused = await failure(
      h.services.directory.resolvePlatformUser({ ...base, platformUserId: `U-${email}`, email }),
    );
    expect(refused.details.field).toBe('email');
    expect(refused.message).toContain('email address');
  }
  const unnamed = await h.services.directory.resolvePlatformUser({
    ...base,
    platformUserId: 'U-noname',
    email: 'quiet.one@woodgrove.example',
    displayName: ' \u0007 ',
  });
  expect(unnamed.displayName).toBe('quiet.one');
  const long = await h.services.directory.resolvePlatformUser({
    ...base,
    platformUserId: 'U-long',
    email: 'long.name@woodgrove.example',
    displayName: `Dr.\u0000 ${'Very '.repeat(80)}Long`,
  });
  expect(long.displayName).toHaveLength(256);
  expect(long.displayName.startsWith('Dr. Very')).toBe(true);
  const forged = await failure(
    h.services.directory.resolvePlatformUser({
      ...base,
      platformUserId: 'U-ref',
      email: 'ref@woodgrove.example',
      conversationReference: { conversation: { id: 'c\u0000' } },
    }),
  );
  expect(forged.details.field).toBe('conversationReference');
});

test('with HOME_DOMAINS, someone new from another domain arrives as an external user', async () => {
  const services = createServices({ ...h.services.ctx, homeDomains: ['woodgrove.example'] });
  const at = (platformUserId: string, email: string) =>
    services.directory.resolvePlatformUser({
      platform: 'teams',
      tenantId: 'tenant-1',
      platformUserId,
      email,
      displayName: platformUserId,
    });
  expect((await at('aad-home', 'ann@woodgrove.example')).kind).toBe('internal');
  expect((await at('aad-sub', 'bo@eu.woodgrove.example')).kind).toBe('internal');
  expect((await at('aad-guest', 'cy@fabrikam.example')).kind).toBe('external');
  // A look-alike is not a subdomain.
  expect((await at('aad-fake', 'di@evilwoodgrove.example')).kind).toBe('external');
});

test('only administrators manage users and groups', async () => {
  const plain = await h.actor(await h.user('Not Admin'));
  await expect(
    h.services.directory.createUser(plain, {
      displayName: 'X',
      email: 'x@woodgrove.example',
      kind: 'internal',
    }),
  ).rejects.toMatchObject({ code: 'forbidden' });
  await expect(
    h.services.directory.createGroup(plain, { name: 'G', description: '' }),
  ).rejects.toMatchObject({
    code: 'forbidden',
  });
});

test('a bad email is refused, naming the field', async () => {
  await expect(
    h.services.directory.createUser(h.api, {
      displayName: 'Y',
      email: 'not-an-email',
      kind: 'internal',
    }),
  ).rejects.toMatchObject({ code: 'invalid', details: { field: 'email' } });
});
