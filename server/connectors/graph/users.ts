import type { Client } from '@microsoft/microsoft-graph-client';
import { explain, statusOf } from './errors';

export interface UserIdOptions {
  ttlMs: number;
  maxEntries: number;
  timeoutMs: number;
  now: () => number;
}

/**
 * A person's Entra object id from their email, remembered for a while: a package with several
 * groups grants them one after the other, and ids do not change. First as the sign-in name
 * (`/users/{email}`), then by `mail`, which finds guests and people whose sign-in name differs.
 */
export class UserIds {
  private readonly cache = new Map<string, { id: string; until: number }>();

  constructor(
    private readonly client: Client,
    private readonly o: UserIdOptions,
  ) {}

  /** Undefined: nobody in the directory has this email. */
  async idOf(email: string): Promise<string | undefined> {
    const key = email.toLowerCase();
    const hit = this.cache.get(key);
    if (hit && hit.until > this.o.now()) return hit.id;
    const id = await this.lookUp(email);
    if (id === undefined) return undefined;
    this.cache.delete(key);
    this.cache.set(key, { id, until: this.o.now() + this.o.ttlMs });
    // Oldest first in a Map: drop from the front.
    for (const old of this.cache.keys()) {
      if (this.cache.size <= this.o.maxEntries) break;
      this.cache.delete(old);
    }
    return id;
  }

  private async lookUp(email: string): Promise<string | undefined> {
    const doing = `look up ${email}`;
    try {
      const user = (await this.client
        .api(`/users/${encodeURIComponent(email)}`)
        .select('id')
        .get()) as { id: string };
      return user.id;
    } catch (err) {
      if (statusOf(err) !== 404) throw explain(err, doing, this.o.timeoutMs);
    }
    let found: { value: Array<{ id: string }> };
    try {
      // The SDK puts the filter into the URL as given.
      const filter = `mail eq '${email.replace(/'/g, "''")}'`;
      found = await this.client.api('/users').filter(encodeURIComponent(filter)).select('id').get();
    } catch (err) {
      throw explain(err, doing, this.o.timeoutMs);
    }
    return found.value[0]?.id;
  }
}
