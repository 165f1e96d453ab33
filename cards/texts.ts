import type { AssignmentState, RequestState } from '../db/entities';

// The one place dates, ages and states are put into words, for every card and platform.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** "23 Nov 2026, 14:05 UTC": unambiguous for readers in any locale. */
export function when(d: Date | null | undefined): string {
  if (!d) return '';
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** "23 Nov 2026" */
export const day = (d: Date | null | undefined) => (d ? when(d).split(',')[0] : '');

/** "3 hours ago" */
export function age(since: Date, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - since.getTime()) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.round(hours / 24);
  return `${days} days ago`;
}

export const number = (n: number) => `#${n}`;

const REQUEST_STATE_LABELS: Record<RequestState, string> = {
  submitted: 'Submitted',
  pendingApproval: 'Waiting for approval',
  approved: 'Approved',
  scheduled: 'Approved, starts later',
  delivering: 'Approved, access being granted',
  delivered: 'Approved, access granted',
  partiallyDelivered: 'Approved, access partly granted',
  deliveryFailed: 'Approved, granting access failed',
  denied: 'Denied',
  canceled: 'Canceled',
};
export const requestStateLabel = (s: RequestState) => REQUEST_STATE_LABELS[s];

const ASSIGNMENT_STATE_LABELS: Record<AssignmentState, string> = {
  scheduled: 'Starts later',
  delivering: 'Being granted',
  delivered: 'Active',
  partiallyDelivered: 'Partly granted',
  deliveryFailed: 'Granting failed',
  expired: 'Expired',
  removed: 'Removed',
};
export const assignmentStateLabel = (s: AssignmentState) => ASSIGNMENT_STATE_LABELS[s];

/** A period as people say it: "from 1 Dec 2026 until 31 Dec 2026", "until …", or "". */
export function period(start: Date | null, end: Date | null): string {
  if (start && end) return `from ${day(start)} until ${day(end)}`;
  if (start) return `from ${day(start)}`;
  if (end) return `until ${day(end)}`;
  return '';
}
