/** `/catalogs/{id}` → `['id']`. */
export const pathParamNames = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

/** `/catalogs/{id}` → `/catalogs/:id`. */
export const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');
