import { z } from 'zod';
import { ASSIGNMENT_STATES, REQUEST_STATES } from '../../../db/entities';

/** A person named in a command: an email, or a platform mention the adapter resolved to an id. */
export type UserRef =
  { kind: 'email'; email: string } | { kind: 'mention'; platformUserId: string; name?: string };

const packageName = z.string().trim().min(1).max(256);
const user = z.custom<UserRef>((v) => typeof v === 'object' && v !== null);
const reason = z.string().trim().min(1).max(2000);
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/)
  .transform((s) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s))
  .refine(
    (d) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 9999,
  );

/** Every command of DESIGN §5, as data the handlers receive. */
export const commandSchema = z.discriminatedUnion('verb', [
  z.object({ verb: z.literal('help') }),
  z.object({ verb: z.literal('packages'), text: z.string().trim().max(100).optional() }),
  z.object({ verb: z.literal('request'), packageName }),
  z.object({
    verb: z.literal('requests'),
    packageName: packageName.optional(),
    state: z.enum(REQUEST_STATES).optional(),
    csv: z.boolean(),
  }),
  z.object({ verb: z.literal('access') }),
  z.object({ verb: z.literal('extend'), packageName }),
  z.object({
    verb: z.literal('cancel'),
    number: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  }),
  z.object({ verb: z.literal('approvals') }),
  z.object({
    verb: z.literal('assign'),
    user,
    packageName,
    policy: packageName.optional(),
    start: date.optional(),
    end: date.optional(),
    days: z.number().int().min(1).max(3660).optional(),
    reason: reason.optional(),
  }),
  z.object({ verb: z.literal('remove'), user, packageName, reason: reason.optional() }),
  z.object({
    verb: z.literal('assignments'),
    packageName,
    state: z.enum(ASSIGNMENT_STATES).optional(),
    csv: z.boolean(),
  }),
  z.object({ verb: z.literal('hide'), packageName }),
  z.object({ verb: z.literal('unhide'), packageName }),
]);
export type Command = z.output<typeof commandSchema>;
export type Verb = Command['verb'];
export const VERBS = commandSchema.options.map((o) => o.shape.verb.value) as Verb[];

/** Why a line is not a command; the words for each live with the reply texts. */
export type ParseProblem =
  | { problem: 'empty' }
  | { problem: 'tooLong'; max: number }
  | { problem: 'unknownVerb'; word: string }
  | { problem: 'badArguments'; verb: Verb; field?: string };
