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
