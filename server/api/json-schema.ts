import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of what a client sends (zod's input side: defaults optional, coerced
 * values as given). Dates travel as ISO 8601 strings.
 */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const generated = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: ({ zodSchema }) =>
      zodSchema._zod.def.type === 'date' ? { type: 'string', format: 'date-time' } : 'throw',
  }) as JsonSchema;
  // Embedded in an OpenAPI 3.1 document, whose dialect is already 2020-12.
  delete generated.$schema;
  return generated;
}
