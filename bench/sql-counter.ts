import { Client } from 'pg';

export interface RecordedStatement {
  sql: string;
  params: unknown[];
}

/**
 * Records every statement sent through node-postgres (TypeORM's driver included) while `run`
 * executes. Only meaningful when nothing else runs at the same time.
 */
export async function recordStatements<T>(
  run: () => Promise<T>,
): Promise<{ result: T; statements: RecordedStatement[] }> {
  const statements: RecordedStatement[] = [];
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === 'string') {
      statements.push({ sql: first, params: Array.isArray(second) ? second : [] });
    } else if (first && typeof first === 'object' && 'text' in first) {
      const q = first as { text: string; values?: unknown[] };
      statements.push({ sql: q.text, params: q.values ?? [] });
    }
    return original.apply(this, args);
  };
  try {
    const result = await run();
    return { result, statements };
  } finally {
    proto.query = original;
  }
}

/** "SELECT", "INSERT", "UPDATE", "START TRANSACTION", … of each statement, with counts. */
export function statementKinds(statements: RecordedStatement[]): string {
  const counts = new Map<string, number>();
  for (const { sql } of statements) {
    const s = sql.trim().replace(/^WITH\b[\s\S]*?\)\s*(SELECT|UPDATE|INSERT|DELETE)\b/i, 'WITH…$1');
    const kind =
      /^(START TRANSACTION|COMMIT|ROLLBACK|WITH…\w+|\w+)/i.exec(s)?.[1].toUpperCase() ?? '?';
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}
