import { Invalid } from './errors';
import { DAY } from './clock';
import { policyEnd, type PolicySnapshot } from './policy-settings';

// Date pickers send the start of today; accept a start up to a day back as "now".
const START_SKEW_MS = DAY;

/** The requested period, when the policy lets the requester choose one, within its limit. */
export function requestedPeriod(
  input: { start?: Date; end?: Date },
  snapshot: PolicySnapshot,
  now: Date,
): { start: Date; end: Date | null } {
  if ((input.start || input.end) && !snapshot.allowCustomSchedule) {
    throw new Invalid(
      input.start ? 'start' : 'end',
      `Policy "${snapshot.name}" doesn't let you choose a period.`,
    );
  }
  if (input.start && input.start.getTime() < now.getTime() - START_SKEW_MS) {
    throw new Invalid('start', 'The start date is in the past.');
  }
  const start = input.start && input.start > now ? input.start : now;
  const end = input.end ?? null;
  if (end && end <= start) throw new Invalid('end', 'The end must come after the start.');
  const limit = policyEnd(snapshot.expiration, start);
  // An on-date policy can end before the access would start; the other kinds end after it.
  if (snapshot.expiration.type === 'onDate' && limit && limit <= start) {
    throw new Invalid(
      input.start ? 'start' : 'policyId',
      `Policy "${snapshot.name}" gives access only until ${limit.toISOString()}` +
        (input.start ? '; choose an earlier start.' : ', which has passed.'),
    );
  }
  if (end && limit && end > limit) {
    throw new Invalid(
      'end',
      `Policy "${snapshot.name}" allows access until ${limit.toISOString()} at the latest.`,
    );
  }
  return { start, end };
}
