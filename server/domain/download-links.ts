import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from './actor';
import type { AssignmentExportQuery, RequestExportQuery } from './exports';
import type { DomainContext } from './context';
import { Forbidden, NotFound } from './errors';
import { authorizeOnPackage } from './permissions';

/** What a link downloads: the same queries the admin API's CSV exports take. */
export type Download =
  | { kind: 'requests'; query: RequestExportQuery & { packageId: string } }
  | { kind: 'assignments'; query: AssignmentExportQuery };

/** How long a link sent in chat works: long enough to click, short enough to be harmless. */
export const DOWNLOAD_LINK_TTL_MS = 15 * 60_000;

const hash = (token: string) => createHash('sha256').update(token).digest();

/**
 * Short-lived links to CSV exports, for chat where a wall of text is no answer. The link names
 * no one: it is a random token whose hash is stored with who asked. Rights are checked when
 * it is made and again, as that user, when it is fetched.
 */
export class DownloadLinkService {
  constructor(private readonly ctx: DomainContext) {}

  async create(actor: Actor, { kind, query }: Download): Promise<string> {
    if (!actor.userId || (actor.channel !== 'teams' && actor.channel !== 'slack')) {
      throw new Forbidden('Download links are for people in chat; the API exports directly.');
    }
    const task = kind === 'requests' ? 'viewRequests' : 'viewAssignments';
    await authorizeOnPackage(this.ctx.db.manager, actor, task, query.packageId);
    // Expired links are useless; dropping them here keeps the table small without a job.
    await this.prune();
    const token = randomBytes(32).toString('base64url');
    const now = this.ctx.clock.now();
    await this.ctx.db.query(
      `INSERT INTO download_links (token_hash, user_id, channel, kind, query, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        hash(token),
        actor.userId,
        actor.channel,
        kind,
        query,
        now,
        new Date(now.getTime() + DOWNLOAD_LINK_TTL_MS),
      ],
    );
    return token;
  }

  /** What a live link asks for, and for whom. Unknown and expired links read the same. */
  async resolve(token: string): Promise<Download & { userId: string; channel: 'teams' | 'slack' }> {
    const [row] = await this.ctx.db.query(
      `SELECT user_id, channel, kind, query FROM download_links
        WHERE token_hash = $1 AND expires_at > $2`,
      [hash(token), this.ctx.clock.now()],
    );
    if (!row) throw new NotFound('Download link', '(expired or unknown)');
    return { userId: row.user_id, channel: row.channel, kind: row.kind, query: row.query };
  }

  /** Drops links that have expired; they are useless and only take room. */
  async prune(): Promise<number> {
    const gone = await this.ctx.db.query(`DELETE FROM download_links WHERE expires_at <= $1`, [
      this.ctx.clock.now(),
    ]);
    return (gone as [unknown, number])[1] ?? 0;
  }
}
