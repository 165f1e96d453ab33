import { z } from 'zod';

// PostgreSQL refuses NUL in text and in jsonb strings ("invalid byte sequence", 22021/22P05):
// caught here, it is a field to fix rather than a 500. Other control characters (bar tab and
// line breaks) only ever arrive by mistake and would garble cards and CSV files.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Free text typed by a person: trimmed, bounded, no control characters. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters');

/**
 * Text another system chose (a chat profile's display name): not the user's to fix, so
 * control characters are dropped and the rest cut to fit rather than refused.
 */
export const foreignText = (max: number) =>
  z.string().transform((s) => s.replace(new RegExp(CONTROL, 'g'), '').trim().slice(0, max));

/** A name: like text, and not empty. */
export const name = (max: number) => text(max).min(1);

/** Any JSON a connector keeps for itself; strings in it must fit in jsonb. */
export const attributes = z
  .record(z.string(), z.unknown())
  .refine((v) => !JSON.stringify(v).includes('\\u0000'), 'must not contain NUL characters');

// Far wider than any real schedule, and inside both JavaScript's and PostgreSQL's ranges
// (a year such as -200000 parses in JavaScript and overflows timestamptz).
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59);

/** A point in time, sent as ISO 8601. */
export const instant = () =>
  z.coerce
    .date()
    .refine(
      (d) => d.getTime() >= EARLIEST && d.getTime() <= LATEST,
      'must be a date between the years 2000 and 9999',
    );

/** Offset paging, bounded: PostgreSQL's OFFSET is a bigint, and deep offsets are slow anyway. */
export const pageOffset = z.coerce.number().int().min(0).max(100_000).default(0);
