import { KnownPeople } from '../../bot/core/known-people';
import type { ChatUser } from '../../bot/core/chat';
import type { User } from '../../db/entities';
import { ManualClock } from '../../server/domain/clock';

// The people the chat layer has recognised lately: no statement per click to say who clicked,
// yet a changed person is seen within a minute and a new conversation reference is written.

const person = { id: 'u1', displayName: 'Ada' } as User;
const teams = (serviceUrl?: string): ChatUser => ({
  platform: 'teams',
  tenantId: 't1',
  platformUserId: 'aad-1',
  ...(serviceUrl && { conversationReference: { serviceUrl, conversation: { id: 'c1' } } }),
  profile: () => Promise.reject(new Error('not asked')),
});

test('a person is known for a minute, then read again', () => {
  const clock = new ManualClock();
  const people = new KnownPeople(clock, 60_000);
  expect(people.get(teams('https://smba/'))).toBeUndefined();
  people.remember(teams('https://smba/'), person);
  clock.advance(59_000);
  expect(people.get(teams('https://smba/'))).toBe(person);
  clock.advance(2_000);
  expect(people.get(teams('https://smba/'))).toBeUndefined();
});

test('a new conversation reference is not answered from memory, so that it gets stored', () => {
  const people = new KnownPeople(new ManualClock());
  people.remember(teams('https://smba/'), person);
  expect(people.get(teams('https://elsewhere/'))).toBeUndefined();
  // A turn with no reference (a channel, or Slack) changes nothing that needs writing.
  expect(people.get(teams())).toBe(person);
  people.remember(teams(), person);
  expect(people.get(teams('https://smba/'))).toBe(person);
});

test('identities are told apart by platform, tenant and id', () => {
  const people = new KnownPeople(new ManualClock());
  people.remember(teams(), person);
  expect(people.get({ ...teams(), tenantId: 't2' })).toBeUndefined();
  expect(people.get({ ...teams(), platform: 'slack' })).toBeUndefined();
  expect(people.get({ ...teams(), platformUserId: 'aad-2' })).toBeUndefined();
});
