import { DAY } from '../../server/domain/clock';
import { packageWithPolicy } from '../support/domain';
import { conversationOf, createTeamsHarness, type TeamsHarness } from '../support/teams/harness';

// Two weeks before access ends the holder gets a card with Extend; the card follows what
// they do with it. `extend <package>` does the same from the keyboard.

let t: TeamsHarness;
beforeAll(async () => {
  t = await createTeamsHarness();
});
afterAll(() => t.close());

const text = (card: unknown) => JSON.stringify(card);

test('the prompt card extends access, and then says so', async () => {
  const holder = t.member('Card Holder');
  await t.install(holder);
  const user = (await t.services.directory.findUserByEmail(holder.email))!;
  const { pkg, policy } = await packageWithPolicy(t, {
    requestorScope: 'none',
    expiration: { type: 'afterDays', days: 20 },
    extensionAllowed: true,
    extensionRequiresApproval: false,
  });
  const assignment = await t.services.assignments.assignDirectly(t.api, {
    userId: user.id,
    packageId: pkg.id,
    policyId: policy.id,
  });
  t.clock.advance(6 * DAY);
  expect(await t.services.extensions.promptDue()).toEqual([assignment.id]);
  await t.deliver();
  const chat = conversationOf(holder);
  const [prompt] = t.cardsIn(chat).filter((c) => text(c).includes('ends on'));
  expect(text(prompt)).toContain(`Your access to ${pkg.name} ends on`);
  const button = (prompt.actions as Array<{ verb: string; data: Record<string, unknown> }>)[0];
  expect(button.verb).toBe('extend');

  const reply = await t.click(holder, 'extend', { ...button.data, justification: 'still needed' });
  expect(text(reply)).toContain(`${pkg.name} is extended`);
  await t.deliver();
  const updates = t.connector.sends(chat).filter((c) => c.method === 'PUT');
  expect(updates.map((u) => text(u.body)).some((b) => b.includes(': extended'))).toBe(true);

  const [typed] = await t.say(holder, `extend ${pkg.name.toUpperCase()}`);
  expect(text(typed)).toContain(`${pkg.name} is extended`);
  const [unknown] = await t.say(holder, 'extend nothing like it');
  const words = (unknown.body as Array<{ text?: string }>).map((b) => b.text).join(' ');
  expect(words).toContain('You have no access called "nothing like it" to extend.');
});
