import { z } from 'zod';
import { dateTime, named } from './schemas';

/** Every `code` an error reply carries, so that a client can switch on them. */
export const ERROR_CODES = [
  'invalid',
  'invalidJson',
  'badRequest',
  'unauthorized',
  'forbidden',
  'notFound',
  'conflict',
  'alreadyDecided',
  'tooLarge',
  'unsupportedMediaType',
  'unsupportedEncoding',
  'unsupportedCharset',
  'internal',
  'notConfigured',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

// Loose: domain errors carry their own details (`what` and `id` with notFound, the state that
// conflicts with conflict), and a client must not break on one it does not know.
const errorBody = z.looseObject({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  field: z.string().optional().describe('With invalid: the field to fix, dotted'),
  issues: z
    .array(z.object({ field: z.string(), message: z.string() }).strict())
    .optional()
    .describe('With invalid from input checks: every problem found'),
  outcome: z
    .object({
      state: z.string(),
      by: z.string().nullable().describe('Who decided or canceled, by display name'),
      at: dateTime.nullable(),
    })
    .strict()
    .optional()
    .describe('With alreadyDecided: what happened first'),
});

export const errorJson = named('Error', z.object({ error: errorBody }).strict());
export type ErrorDto = z.output<typeof errorJson>;
