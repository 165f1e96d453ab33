import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

// Embedded in an OpenAPI 3.1 document, whose dialect is already 2020-12.
const dropDialect = (schema: JsonSchema) => {
  delete schema.$schema;
  return schema;
};

/**
 * The JSON Schema of what a client sends (zod's input side: defaults optional, coerced
 * values as given). Dates travel as ISO 8601 strings.
 */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return dropDialect(
    z.toJSONSchema(schema, {
      io: 'input',
      unrepresentable: ({ zodSchema }) =>
        zodSchema._zod.def.type === 'date' ? { type: 'string', format: 'date-time' } : 'throw',
    }) as JsonSchema,
  );
}

/**
 * What the API sends, one schema per name in `registry` (zod's output side), referring to
 * each other as `#/components/schemas/<name>`.
 */
export function componentSchemas(
  registry: z.core.$ZodRegistry<{ id: string }>,
): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, {
    io: 'output',
    uri: (id) => `#/components/schemas/${id}`,
    // zod spells out a UUID or a date-time as a regular expression of several hundred
    // characters beside its `format`; the format alone says it, and validators check it.
    override: ({ jsonSchema }) => {
      if (jsonSchema.format && jsonSchema.pattern) delete jsonSchema.pattern;
    },
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => {
      // The uri lands in `$id`, which is a reference in the document and not a schema's id.
      const { $id: _, ...rest } = schema as JsonSchema;
      return [name, dropDialect(rest)];
    }),
  );
}
