import type { output, ZodType } from 'zod';
/**
 * Coded domain errors. Each adapter (REST, Teams, Slack) maps these to a reply once;
 * anything else is a bug and becomes a 500 / "something went wrong".
 */
export type DomainErrorCode = 'notFound' | 'forbidden' | 'invalid' | 'conflict' | 'alreadyDecided';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends DomainError {
  constructor(what: string, id: string) {
    super('notFound', `${what} ${id} was not found.`, { what, id });
  }
}

export class Forbidden extends DomainError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** Bad input; `field` names what to fix so a form can show the message beside it. */
export class Invalid extends DomainError {
  constructor(
    readonly field: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super('invalid', message, { field, ...details });
  }
}

export class Conflict extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('conflict', message, details);
  }
}

/** A late click: somebody else decided (or the request was canceled) first. Not a failure. */
export class AlreadyDecided extends DomainError {
  constructor(
    message: string,
    readonly outcome: { state: string; by: string | null; at: Date | null },
  ) {
    super('alreadyDecided', message, outcome);
  }
}

export const isUniqueViolation = (e: unknown, constraint?: string) =>
  typeof e === 'object' &&
  e !== null &&
  (e as { code?: string }).code === '23505' &&
  (constraint === undefined || (e as { constraint?: string }).constraint === constraint);

/** Validates input at the domain's edge, whichever adapter sent it; names the bad field. */
export function parseInput<S extends ZodType>(schema: S, input: unknown): output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join('.') || 'input';
  throw new Invalid(field, `${field}: ${issue.message}`);
}

/**
 * Awaits a write whose only expected failure is a unique index: that becomes a Conflict with
 * the given message (for one named index, when a constraint is given); anything else rethrows.
 */
export async function uniquely<T>(
  write: Promise<T>,
  message: string,
  constraint?: string,
): Promise<T> {
  try {
    return await write;
  } catch (e) {
    if (isUniqueViolation(e, constraint)) throw new Conflict(message);
    throw e;
  }
}
