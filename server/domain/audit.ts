import type { EntityManager } from 'typeorm';
import type { Actor } from './actor';
import type { Clock } from './clock';

export type SubjectType =
  | 'catalog'
  | 'resource'
  | 'accessPackage'
  | 'policy'
  | 'request'
  | 'assignment'
  | 'fulfillment'
  | 'user'
  | 'group';

export const AUDIT_COLUMNS =
  'at, actor_id, actor_label, channel, api_token, action, subject_type, subject_id, details';
/** Their types, for statements that must name them (a parameter in a SELECT list). */
export const AUDIT_COLUMN_TYPES = [
  'timestamptz',
  'uuid',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'jsonb',
] as const;

/** One audit row's values, in the order of AUDIT_COLUMNS. */
export function auditValues(
  clock: Clock,
  actor: Actor,
  action: string,
  subject: { type: SubjectType; id: string },
  details: Record<string, unknown> = {},
): unknown[] {
  return [
    clock.now(),
    actor.userId,
    actor.label,
    actor.channel,
    actor.apiToken ?? null,
    action,
    subject.type,
    subject.id,
    details,
  ];
}

/** Appends to the audit trail inside the caller's transaction, so it commits with the change. */
export async function audit(
  em: EntityManager,
  clock: Clock,
  actor: Actor,
  action: string,
  subject: { type: SubjectType; id: string },
  details: Record<string, unknown> = {},
) {
  await em.query(
    `INSERT INTO audit_events (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    auditValues(clock, actor, action, subject, details),
  );
}

/** The same event for many subjects in one statement: batches write thousands at once. */
export function auditEach(
  em: EntityManager,
  clock: Clock,
  actor: Actor,
  action: string,
  subjects: { type: SubjectType; ids: string[] },
  details: Record<string, unknown> = {},
) {
  return auditRows(
    em,
    subjects.ids.map((id) =>
      auditValues(clock, actor, action, { type: subjects.type, id }, details),
    ),
  );
}

/** Many audit rows (each from auditValues) in one statement. */
export async function auditRows(em: EntityManager, values: unknown[][]) {
  if (values.length === 0) return;
  const names = AUDIT_COLUMNS.split(', ');
  const records = values.map((v) => Object.fromEntries(names.map((name, i) => [name, v[i]])));
  await em.query(
    `INSERT INTO audit_events (${AUDIT_COLUMNS})
     SELECT ${AUDIT_COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS r(${names
       .map((name, i) => `${name} ${AUDIT_COLUMN_TYPES[i]}`)
       .join(', ')})`,
    [JSON.stringify(records)],
  );
}
