const PAGE = 1000;
// An export is for a spreadsheet; beyond this a caller should page with limit and offset.
export const MAX_EXPORT_ROWS = 100_000;

/** An export without an explicit limit holds every matching row, in pages the domain allows. */
export async function allPages<T>(
  fetch: (page: { limit: number; offset: number }) => Promise<T[]>,
): Promise<T[]> {
  const all: T[] = [];
  for (let offset = 0; offset < MAX_EXPORT_ROWS; offset += PAGE) {
    const page = await fetch({ limit: PAGE, offset });
    all.push(...page);
    if (page.length < PAGE) break;
  }
  return all;
}
