import type { z } from 'zod';
import { Invalid } from '../domain/errors';

const fieldOf = (issue: z.core.$ZodIssue, root: string) => {
  // An unknown key is reported on its parent; name the key itself, which is what to remove.
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  return path.map(String).join('.') || root;
};

/** The first problem names the field, as forms expect; all of them are listed for tools. */
export function invalidFromZod(error: z.ZodError, root: string): Invalid {
  const issues = error.issues.map((issue) => ({
    field: fieldOf(issue, root),
    message: issue.message,
  }));
  const [first] = issues;
  return new Invalid(first.field, `${first.field}: ${first.message}`, { issues });
}

/** `root` names the input when the problem is with the whole of it (`body`, `query`). */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  root: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidFromZod(result.error, root);
  return result.data;
}
