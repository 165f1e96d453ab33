import { LRUCache } from 'lru-cache';
import type { User } from '../../db/entities';
import type { Clock } from '../../server/domain/clock';
import type { ChatUser } from './chat';

interface Known {
  user: User;
  /** The conversation reference stored for them, as JSON: a new one must still be written. */
  reference: string | null;
}

/**
 * Who is behind the chat identities seen lately, so that the person is not read again on
 * every click. An entry lasts `ttlMs`: a change to the person (name, email, kind) shows on
 * every replica within it. Nothing else is kept here: rights, approvers and policies are read
 * by the domain on every action.
 */
export class KnownPeople {
  private readonly known: LRUCache<string, Known>;

  constructor(clock: Clock, ttlMs = 60_000, max = 10_000) {
    this.known = new LRUCache({
      max,
      ttl: ttlMs,
      perf: { now: () => clock.now().getTime() },
      // Asks the clock every time rather than keeping its answer for a millisecond by a timer.
      ttlResolution: 0,
    });
  }

  /** The person, when known lately and nothing about the identity needs writing. */
  get(u: ChatUser): User | undefined {
    const known = this.known.get(keyOf(u));
    if (!known) return undefined;
    const reference = referenceOf(u);
    return reference === null || reference === known.reference ? known.user : undefined;
  }

  remember(u: ChatUser, user: User): void {
    const key = keyOf(u);
    const reference = referenceOf(u) ?? this.known.get(key)?.reference ?? null;
    this.known.set(key, { user, reference });
  }
}

const keyOf = (u: ChatUser) => `${u.platform}\u0000${u.tenantId}\u0000${u.platformUserId}`;
const referenceOf = (u: ChatUser) =>
  u.conversationReference ? JSON.stringify(u.conversationReference) : null;
