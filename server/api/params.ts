import { z } from 'zod';

/** Path ids are checked at the edge: a typo is a 400 naming the parameter, not a database error. */
export const pathIds = <K extends string>(...names: K[]) =>
  z
    .object(Object.fromEntries(names.map((name) => [name, z.uuid()])) as Record<K, z.ZodUUID>)
    .strict();

export const idParam = pathIds('id');
