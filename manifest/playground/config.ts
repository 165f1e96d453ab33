/**
 * The Microsoft 365 Agents Playground (a Teams client emulator) acts as one person, read from
 * `.m365agentsplayground.yml` at start. Its schema is strict: exactly five other users, ids
 * unique across them and the current one, a 42-character bot name. These are the demo's people.
 */
export interface PlaygroundPerson {
  id: string;
  name: string;
  email: string;
  aadObjectId: string;
}

export const TENANT_ID = 'a1b2c3d4-0000-4000-8000-00000000d0e0';

export const PEOPLE: Record<string, PlaygroundPerson> = {
  user1: {
    id: 'user1',
    name: 'User1',
    email: 'user1@woodgrove.example',
    aadObjectId: '11111111-1111-4111-8111-111111111111',
  },
  admin1: {
    id: 'admin1',
    name: 'Admin1',
    email: 'admin1@woodgrove.example',
    aadObjectId: '22222222-2222-4222-8222-222222222222',
  },
  dana: {
    id: 'dana',
    name: 'Dana Woodgrove',
    email: 'dana@woodgrove.example',
    aadObjectId: '33333333-3333-4333-8333-333333333333',
  },
  erin: {
    id: 'erin',
    name: 'Erin Woodgrove',
    email: 'erin@woodgrove.example',
    aadObjectId: '44444444-4444-4444-8444-444444444444',
  },
  gail: {
    id: 'gail',
    name: 'Gail Woodgrove',
    email: 'gail@woodgrove.example',
    aadObjectId: '77777777-7777-4777-8777-777777777777',
  },
  finn: {
    id: 'finn',
    name: 'Finn Woodgrove',
    email: 'finn@woodgrove.example',
    aadObjectId: '55555555-5555-4555-8555-555555555555',
  },
};

const user = (p: PlaygroundPerson) => {
  const [givenName, ...rest] = p.name.split(' ');
  return {
    id: p.id,
    name: p.name,
    userPrincipleName: p.email,
    aadObjectId: p.aadObjectId,
    givenName,
    surname: rest.join(' ') || givenName,
    email: p.email,
  };
};

/** YAML for the playground, acting as `who` (a key of PEOPLE). JSON is valid YAML. */
export function playgroundConfig(who: string): string {
  const current = PEOPLE[who];
  if (!current)
    throw new Error(`Unknown person "${who}": use one of ${Object.keys(PEOPLE).join(', ')}.`);
  const config = {
    version: '0.1.1',
    tenantId: TENANT_ID,
    bot: { id: 'accessbot', name: 'Accessbot' },
    currentUser: user(current),
    // Exactly five others: the current user is not among them.
    users: Object.values(PEOPLE)
      .filter((p) => p !== current)
      .slice(0, 5)
      .map(user),
    personalChat: { id: `personal-chat-${current.id}` },
    groupChat: { id: 'group-chat-woodgrove', name: 'Woodgrove' },
    team: {
      id: 'team-woodgrove',
      name: 'Woodgrove',
      aadGroupId: '66666666-6666-4666-8666-666666666666',
      channels: [{ id: 'channel-general', name: 'General' }],
    },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
