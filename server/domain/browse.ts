import { z } from 'zod';
import { text } from './fields';
import type { User } from '../../db/entities';
import type { DomainContext } from './context';
import { domainSuffixes } from './directory';
import { packageRequestableBy } from './eligibility';
import { Invalid } from './errors';

export const browseQuerySchema = z.object({
  text: text(100).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(600).optional(),
});
export type BrowseQuery = z.input<typeof browseQuerySchema>;

export interface BrowseItem {
  id: string;
  name: string;
  description: string;
  catalogId: string;
  catalogName: string;
}

export interface BrowsePage {
  items: BrowseItem[];
  /** Pass back to get the next page; null on the last one. */
  nextCursor: string | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * What a user may request: packages that are live, not hidden, in an enabled catalog, with
 * at least one policy that admits the user. One query, keyset-paged by name.
 */
export class BrowseService {
  constructor(private readonly ctx: DomainContext) {}

  async browse(user: User, query: BrowseQuery = {}): Promise<BrowsePage> {
    const q = browseQuerySchema.parse(query);
    const after = q.cursor ? decodeCursor(q.cursor) : null;
    const text = q.text ? `%${escapeLike(q.text.toLowerCase())}%` : null;
    const rows: Array<Record<string, string>> = await this.ctx.db.query(
      `SELECT p.id, p.name, p.description, c.id AS catalog_id, c.name AS catalog_name, lower(p.name) AS sort_key
         FROM access_packages p
         JOIN catalogs c ON c.id = p.catalog_id AND c.enabled
        WHERE p.deleted_at IS NULL AND NOT p.hidden
          AND ${packageRequestableBy('p', { user: '$1', kind: '$2', domains: '$3' })}
          AND ($4::text IS NULL OR lower(p.name || ' ' || p.description) LIKE $4)
          AND ($5::text IS NULL OR (lower(p.name), p.id) > ($5, $6::uuid))
        ORDER BY lower(p.name), p.id
        LIMIT $7`,
      [
        user.id,
        user.kind,
        domainSuffixes(user.domain),
        text,
        after?.[0] ?? null,
        after?.[1] ?? null,
        q.limit + 1,
      ],
    );
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        id: r.id,
        name: r.name,
        description: r.description,
        catalogId: r.catalog_id,
        catalogName: r.catalog_name,
      })),
      nextCursor: rows.length > q.limit ? encodeCursor([last.sort_key, last.id]) : null,
    };
  }
}

const encodeCursor = (key: [string, string]) =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === 2 &&
      typeof key[0] === 'string' &&
      // A forged NUL would reach PostgreSQL, which refuses it in text.
      !key[0].includes('\u0000') &&
      /^[0-9a-f-]{36}$/.test(key[1])
    ) {
      return key as [string, string];
    }
  } catch {
    // fall through to the clear error below
  }
  throw new Invalid('cursor', 'The page cursor is not valid; start again from the first page.');
}
