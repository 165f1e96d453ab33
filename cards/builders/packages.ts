import type { CardReply } from '../reply';

export interface PackageItem {
  id: string;
  name: string;
  description: string;
}

/** The packages a user may request, a page at a time, each with its Request button. */
export function packagesCard(page: {
  items: PackageItem[];
  text?: string;
  nextCursor: string | null;
}): CardReply {
  const searching = Boolean(page.text);
  return {
    card: 'packages',
    data: {
      heading: searching ? `Packages matching "${page.text}"` : 'Access packages you can request',
      empty: page.items.length === 0,
      emptyText: searching
        ? 'None of the packages you can request matches that.'
        : 'There is no package you can request yet.',
      items: page.items.map((p) => ({
        id: p.id,
        name: p.name,
        description: p.description,
        hasDescription: p.description !== '',
        requestLabel: 'Request',
      })),
      searchLabel: 'Search',
      searchPlaceholder: 'Part of a package name',
      text: page.text ?? '',
      moreLabel: 'More',
      hasMore: page.nextCursor !== null,
      nextCursor: page.nextCursor ?? '',
    },
  };
}
