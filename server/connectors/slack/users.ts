import { SlackRefusal, type SlackCall } from './call';

export interface SlackUsersOptions {
  /** How long a found id is used without asking again. */
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * Slack user ids by email (`users.lookupByEmail`, scope users:read.email). A found id is kept
 * a few minutes in this process, so that a package of several Slack resources asks once;
 * a miss is not kept, so an account created since is found on the next retry.
 */
export class SlackUsers {
  private readonly found = new Map<string, { id: string; until: number }>();

  constructor(
    private readonly call: SlackCall,
    private readonly o: SlackUsersOptions = {},
  ) {}

  async idOf(email: string): Promise<string> {
    const key = email.toLowerCase();
    const now = (this.o.now ?? Date.now)();
    const hit = this.found.get(key);
    if (hit && hit.until > now) return hit.id;
    let answer;
    try {
      answer = await this.call('users.lookupByEmail', { email });
    } catch (err) {
      if (err instanceof SlackRefusal && err.code === 'users_not_found') {
        throw new Error(`No Slack account with email ${email}.`, { cause: err });
      }
      throw err;
    }
    const id = (answer.user as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string') throw new Error(`Slack found ${email} but gave no user id.`);
    this.found.delete(key);
    this.found.set(key, { id, until: now + (this.o.ttlMs ?? 5 * 60_000) });
    // Oldest first: a Map iterates in insertion order.
    if (this.found.size > (this.o.maxEntries ?? 1000)) {
      this.found.delete(this.found.keys().next().value!);
    }
    return id;
  }
}
