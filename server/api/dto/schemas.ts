import { z } from 'zod';

/**
 * The response schemas the OpenAPI document lists under `components.schemas`, by the name a
 * client generator gives their types. A separate registry from zod's global one, so that
 * request schemas converted on their own never pull these in as `$defs`.
 */
export const dtoSchemas = z.registry<{ id: string }>();

export const named = <T extends z.ZodType>(id: string, schema: T): T => {
  dtoSchemas.add(schema, { id });
  return schema;
};

export const nameOf = (schema: z.ZodType): string | undefined => dtoSchemas.get(schema)?.id;

/** Graph's collection shape, named after its item: `CatalogList`. */
export const listOf = <T extends z.ZodType>(item: T) => {
  const name = nameOf(item);
  if (!name) throw new Error('listOf: name the item schema first');
  return named(`${name}List`, z.object({ value: z.array(item) }).strict());
};

// Entities hold Dates; the DTOs send what `iso()` makes of them.
export const dateTime = z.iso.datetime();
export const uuid = z.uuid();
