import type { PackageItem } from '../../cards/builders/packages';
import type { HandlerContext } from './handler-context';

/** A package named in a command: one, several to choose from, or none. */
export type Found =
  { kind: 'one'; pkg: PackageItem } | { kind: 'several'; items: PackageItem[] } | { kind: 'none' };

const item = (p: { id: string; name: string; description: string }): PackageItem => ({
  id: p.id,
  name: p.name,
  description: p.description,
});

/**
 * People type names, never ids. An exact name (any case) wins, hidden packages included
 * (they are requestable by name); otherwise a part of a name among the packages the user may
 * request, and the user chooses when several match.
 */
export async function findPackage(ctx: HandlerContext, name: string): Promise<Found> {
  const exact = await findManagedPackage(ctx, name);
  if (exact.kind !== 'none') return exact;
  const page = await ctx.services.browse.browse(ctx.user, { text: name.slice(0, 100), limit: 10 });
  if (page.items.length === 1) return { kind: 'one', pkg: item(page.items[0]) };
  if (page.items.length > 1) return { kind: 'several', items: page.items.map(item) };
  return { kind: 'none' };
}

/** For managers' commands: any live package by exact name, whoever may request it. */
export async function findManagedPackage(ctx: HandlerContext, name: string): Promise<Found> {
  const exact = await ctx.services.packages.findByName(name);
  if (exact.length === 1) return { kind: 'one', pkg: item(exact[0]) };
  if (exact.length > 1) return { kind: 'several', items: exact.map(item) };
  return { kind: 'none' };
}
