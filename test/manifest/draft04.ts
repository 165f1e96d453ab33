/**
 * Paths of draft-04 forms whose meaning draft-06 changed: `id` (now `$id`) and boolean
 * `exclusiveMinimum`/`exclusiveMaximum`. Names under `properties` are data, not keywords.
 */
export function draft04OnlyKeywords(schema: unknown, at = '#'): string[] {
  if (Array.isArray(schema)) return schema.flatMap((s, i) => draft04OnlyKeywords(s, `${at}/${i}`));
  if (typeof schema !== 'object' || schema === null) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'enum' || key === 'default' || key === 'examples' || key === 'const') continue;
    if (key === 'id' && typeof value === 'string') found.push(`${at}/id`);
    const exclusive = key === 'exclusiveMinimum' || key === 'exclusiveMaximum';
    if (exclusive && typeof value === 'boolean') found.push(`${at}/${key}`);
    const isMap = key === 'properties' || key === 'definitions' || key === 'patternProperties';
    const children = isMap ? Object.entries(value as object) : [[key, value] as const];
    for (const [name, child] of children) {
      found.push(...draft04OnlyKeywords(child, isMap ? `${at}/${key}/${name}` : `${at}/${key}`));
    }
  }
  return found;
}
