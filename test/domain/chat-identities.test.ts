import { createHarness, failure, type Harness } from '../support/domain';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

test('a known chat identity is recognised and its latest conversation kept', async () => {
  const { identities, directory } = h.services;
  expect(await identities.recognise('teams', 't1', 'aad-new')).toBeNull();
  const user = await directory.resolvePlatformUser({
    platform: 'teams',
    tenantId: 't1',
    platformUserId: 'aad-new',
    email: 'nina@woodgrove.example',
    displayName: 'Nina',
    conversationReference: { conversation: { id: 'a' } },
  });
  const again = await identities.recognise('teams', 't1', 'aad-new', { conversation: { id: 'b' } });
  expect(again).toMatchObject({ id: user.id, email: 'nina@woodgrove.example', kind: 'internal' });
  const [identity] = await directory.identitiesOf(user.id);
  expect(identity.conversationReference).toEqual({ conversation: { id: 'b' } });
  // The same id in another tenant, or on another platform, is someone else.
  expect(await identities.recognise('teams', 't2', 'aad-new')).toBeNull();
  expect(await identities.recognise('slack', 't1', 'aad-new')).toBeNull();
  expect(identities.actorOf(again!, 'teams')).toEqual({
    userId: user.id,
    label: 'nina@woodgrove.example',
    isAdmin: false,
    channel: 'teams',
  });
});

test('a forged conversation reference is refused, naming it', async () => {
  const refused = await failure(
    h.services.identities.recognise('teams', 't1', 'aad-x', { conversation: { id: 'a\u0000' } }),
  );
  expect(refused.details.field).toBe('conversationReference');
});
