import { z } from 'zod';
import { AccessRequest, Assignment } from '../../db/entities';
import type { Actor } from './actor';
import { assignmentListSchema } from './assignments';
import type { DomainContext } from './context';
import { Forbidden, parseInput } from './errors';
import { authorizeOnPackage } from './permissions';
import { requestListSchema } from './requests';

/**
 * Rows per query. Large enough that the per-query cost is amortised, small enough that one
 * page and its user and package lookups stay a few megabytes whatever the export's size.
 */
export const EXPORT_PAGE_SIZE = 1000;

export interface ExportOptions {
  /** Rows per query; tests lower it to cross page boundaries with few rows. */
  pageSize?: number;
}

/** Pages, newest first. Each is read by its own query only when the consumer asks for it. */
export type ExportPages<T> = AsyncGenerator<T[], void, undefined>;

// Unlike a listing, an export has no default limit: without one it holds every matching row.
const exportLimit = { limit: z.coerce.number().int().min(1).optional() };
export const requestExportSchema = requestListSchema.extend(exportLimit);
export type RequestExportQuery = z.input<typeof requestExportSchema>;
export const assignmentExportSchema = assignmentListSchema.extend(exportLimit);
export type AssignmentExportQuery = z.input<typeof assignmentExportSchema>;

/**
 * One page strictly after the key `after`, at most `take` rows, and the key of its last row.
 * Without `after` it is the first page, which alone honours `offset` (callers that page an
 * export with limit and offset keep working; later pages never use OFFSET).
 */
type PageQuery<T, K> = (after: K | undefined, take: number) => Promise<{ rows: T[]; last?: K }>;

async function* keysetPages<T, K>(
  query: PageQuery<T, K>,
  limit: number | undefined,
  pageSize: number,
): ExportPages<T> {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`page size ${pageSize}`);
  let after: K | undefined;
  let remaining = limit ?? Infinity;
  while (remaining > 0) {
    const take = Math.min(pageSize, remaining);
    const { rows, last } = await query(after, take);
    if (rows.length) yield rows;
    if (rows.length < take) return;
    remaining -= rows.length;
    after = last;
  }
}

/**
 * Every request the actor may list, with the rights of RequestService.list: checked once,
 * here, before the first page is read, so a refusal reaches the caller before any row.
 */
export async function exportRequests(
  ctx: DomainContext,
  actor: Actor,
  query: RequestExportQuery,
  { pageSize = EXPORT_PAGE_SIZE }: ExportOptions = {},
): Promise<ExportPages<AccessRequest>> {
  const q = parseInput(requestExportSchema, query);
  if (q.packageId) {
    await authorizeOnPackage(ctx.db.manager, actor, 'viewRequests', q.packageId);
  } else if (!actor.isAdmin) {
    throw new Forbidden('Name an access package to list its requests.');
  }
  // Keyed by `number`, newest first as in the listing: an identity column, unique and never
  // updated, so a row's place in the order cannot move while the export runs and each row
  // present throughout is read once. Requests inserted meanwhile get higher numbers, ahead of
  // the first page, so they are left out. (A row whose state changes mid-export may or may not
  // match a state filter, but it still appears at most once.)
  const page: PageQuery<AccessRequest, number> = async (after, take) => {
    const qb = ctx.db.manager
      .createQueryBuilder(AccessRequest, 'r')
      .orderBy('r.number', 'DESC')
      .limit(take);
    if (q.packageId) qb.andWhere('r.package_id = :packageId', { packageId: q.packageId });
    if (q.state) qb.andWhere('r.state = :state', { state: q.state });
    if (after === undefined) qb.offset(q.offset);
    else qb.andWhere('r.number < :after', { after });
    const rows = await qb.getMany();
    return { rows, last: rows.at(-1)?.number };
  };
  return keysetPages(page, q.limit, pageSize);
}

/** `created_at` to the microsecond, in UTC: a JS Date would drop the microseconds. */
type AssignmentKey = { createdAt: string; id: string };

/** Every assignment of a package, with the rights of AssignmentService.list, checked once. */
export async function exportAssignments(
  ctx: DomainContext,
  actor: Actor,
  query: AssignmentExportQuery,
  { pageSize = EXPORT_PAGE_SIZE }: ExportOptions = {},
): Promise<ExportPages<Assignment>> {
  const q = parseInput(assignmentExportSchema, query);
  await authorizeOnPackage(ctx.db.manager, actor, 'viewAssignments', q.packageId);
  // Keyed by (created_at, id): the database sets created_at on insert and nothing updates it,
  // and the id breaks ties between rows of one transaction, so the pair is unique and fixed.
  // The cursor keeps created_at as ISO text: rounded to a JS Date's milliseconds, it would skip
  // or repeat rows created within the same millisecond.
  const page: PageQuery<Assignment, AssignmentKey> = async (after, take) => {
    const qb = ctx.db.manager
      .createQueryBuilder(Assignment, 'a')
      .addSelect(
        `to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
        'cursor_created_at',
      )
      .where('a.package_id = :packageId', { packageId: q.packageId })
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(take);
    if (q.state) qb.andWhere('a.state = :state', { state: q.state });
    if (after === undefined) qb.offset(q.offset);
    else {
      qb.andWhere(
        '(a.created_at, a.id) < (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))',
        {
          afterAt: after.createdAt,
          afterId: after.id,
        },
      );
    }
    const { entities, raw } = await qb.getRawAndEntities<{
      cursor_created_at: string;
      a_id: string;
    }>();
    const last = raw.at(-1);
    return { rows: entities, last: last && { createdAt: last.cursor_created_at, id: last.a_id } };
  };
  return keysetPages(page, q.limit, pageSize);
}
