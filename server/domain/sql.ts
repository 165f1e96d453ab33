import type { EntityManager } from 'typeorm';

/**
 * Rows of any statement. TypeORM's postgres driver answers UPDATE and DELETE with
 * `[rows, rowCount]` but SELECT and INSERT with the rows alone; this hides the difference.
 */
export async function rows<T = Record<string, unknown>>(
  em: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const result = await em.query(sql, params);
  return result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number'
    ? result[0]
    : result;
}

interface Queryable {
  query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Rows of a statement run as a named prepared statement: each connection plans it once and
 * reuses the plan. For the statements of every click, whose planning costs several times
 * their execution; `text` must be the same every time for the same `name`.
 */
export async function prepared<T = Record<string, unknown>>(
  em: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const client: Queryable = em.queryRunner
    ? await em.queryRunner.connect()
    : (em.connection.driver as unknown as { master: Queryable }).master;
  const { rows } = await client.query({ name, text, values });
  return rows as T[];
}
