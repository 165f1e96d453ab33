/**
 * The one home of every state list: types, zod enums and SQL are all derived from these.
 * The initial migration's CHECK constraints restate them as history; test/infra/schema.test.ts
 * checks that the database still allows exactly these values.
 */
export const REQUEST_STATES = [
  'submitted',
  'pendingApproval',
  'approved',
  'scheduled',
  'delivering',
  'delivered',
  'partiallyDelivered',
  'deliveryFailed',
  'denied',
  'canceled',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** A request someone may still decide or withdraw. */
export const OPEN_REQUEST_STATES = [
  'submitted',
  'pendingApproval',
] as const satisfies readonly RequestState[];

export const ASSIGNMENT_STATES = [
  'scheduled',
  'delivering',
  'delivered',
  'partiallyDelivered',
  'deliveryFailed',
  'expired',
  'removed',
] as const;
export type AssignmentState = (typeof ASSIGNMENT_STATES)[number];

/** An assignment that gives, or will give, access. */
export const ACTIVE_ASSIGNMENT_STATES = [
  'scheduled',
  'delivering',
  'delivered',
  'partiallyDelivered',
  'deliveryFailed',
] as const satisfies readonly AssignmentState[];

/** A list as a SQL tuple for hand-written queries: `state IN ${sqlList(OPEN_REQUEST_STATES)}`. */
export const sqlList = (values: readonly string[]) => `(${values.map((v) => `'${v}'`).join(', ')})`;

export const OPEN_STATES_SQL = sqlList(OPEN_REQUEST_STATES);
export const ACTIVE_STATES_SQL = sqlList(ACTIVE_ASSIGNMENT_STATES);
