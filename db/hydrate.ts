import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * An entity from a raw row with the table's column names, converted as TypeORM converts what
 * it loads itself: for statements TypeORM cannot write (see server/domain/sql.ts `prepared`).
 */
export function hydrate<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  row: Record<string, unknown>,
): T {
  const meta = em.connection.getMetadata(target);
  const entity = meta.create() as T;
  for (const column of meta.columns) {
    if (!(column.databaseName in row)) continue;
    const value = em.connection.driver.prepareHydratedValue(row[column.databaseName], column);
    column.setEntityValue(entity, value);
  }
  return entity;
}
