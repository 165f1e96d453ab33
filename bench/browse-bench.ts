import type { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { User } from '../db/entities';
import type { BrowseQuery, BrowseService } from '../server/domain/browse';
import { referenceBrowse } from './reference';
import { recordStatements } from './sql-counter';
import { timeSequential, type Latency } from './stats';

export const BROWSE_TARGET_P99_MS = 30;

export interface BrowseScenario {
  label: string;
  user: User;
  query: BrowseQuery;
}

export interface Verification {
  label: string;
  expected: number;
  actual: number;
  pages: number;
  ok: boolean;
  detail: string;
}

/** Walks every page of a browse and returns the package ids in the order served. */
export async function browseAll(
  browse: BrowseService,
  user: User,
  query: BrowseQuery,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await browse.browse(user, { ...query, cursor });
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor ?? undefined;
    pages++;
    if (pages > 10_000) throw new Error('browse paging does not terminate');
  } while (cursor);
  return { ids, pages };
}

/** The browse result, all pages, against the naive reference computed from the raw tables. */
export async function verifyBrowse(
  browse: BrowseService,
  db: Client,
  label: string,
  user: User,
  text?: string,
): Promise<Verification> {
  const { ids, pages } = await browseAll(browse, user, { limit: 20, ...(text && { text }) });
  const expected = await referenceBrowse(db, user.id, text);
  const served = new Set(ids);
  const missing = [...expected].filter((id) => !served.has(id));
  const extra = [...served].filter((id) => !expected.has(id));
  const duplicates = ids.length - served.size;
  const ok = !missing.length && !extra.length && !duplicates;
  const detail = ok
    ? ''
    : `missing ${missing.length} (${missing.slice(0, 3).join(', ')}), extra ${extra.length} ` +
      `(${extra.slice(0, 3).join(', ')}), duplicates ${duplicates}`;
  return { label, expected: expected.size, actual: served.size, pages, ok, detail };
}

/** The cursor that yields page `page` (1-based) of a browse. */
export async function cursorForPage(
  browse: BrowseService,
  user: User,
  query: BrowseQuery,
  page: number,
): Promise<string> {
  let cursor: string | undefined;
  for (let i = 1; i < page; i++) {
    const p = await browse.browse(user, { ...query, cursor });
    if (!p.nextCursor) throw new Error(`browse has fewer than ${page} pages`);
    cursor = p.nextCursor;
  }
  if (!cursor) throw new Error('page must be 2 or more');
  return cursor;
}

export function timeBrowse(
  browse: BrowseService,
  scenario: BrowseScenario,
  opts: { warmup: number; n: number },
): Promise<Latency> {
  return timeSequential(() => browse.browse(scenario.user, scenario.query), opts);
}

/** The baseline: a primary-key look-up through the same DataSource, over random ids. */
export function timeBaseline(
  ds: DataSource,
  packageIds: string[],
  opts: { warmup: number; n: number },
): Promise<Latency> {
  let seed = 12345;
  const pick = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return packageIds[seed % packageIds.length];
  };
  return timeSequential(
    () => ds.query('SELECT id FROM access_packages WHERE id = $1', [pick()]),
    opts,
  );
}

/** The SQL text and parameters BrowseService sends for a scenario, as seen by node-postgres. */
export async function browseStatement(browse: BrowseService, scenario: BrowseScenario) {
  const { statements } = await recordStatements(() => browse.browse(scenario.user, scenario.query));
  const stmt = statements.find((s) => /FROM access_packages p/.test(s.sql));
  if (!stmt) throw new Error('did not see the browse statement');
  return stmt;
}

/** EXPLAIN (ANALYZE, BUFFERS) of the exact statement BrowseService sends for a scenario. */
export async function explainBrowse(
  ds: DataSource,
  browse: BrowseService,
  scenario: BrowseScenario,
): Promise<string> {
  const stmt = await browseStatement(browse, scenario);
  const rows: Array<{ 'QUERY PLAN': string }> = await ds.query(
    `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${stmt.sql}`,
    stmt.params,
  );
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}
