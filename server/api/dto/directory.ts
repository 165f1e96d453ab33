import type { Group, User } from '../../../db/entities';
import { iso } from './dates';

export const userDto = (u: User) => ({
  id: u.id,
  displayName: u.displayName,
  email: u.email,
  domain: u.domain,
  kind: u.kind,
  createdAt: iso(u.createdAt),
});

export const groupDto = (g: Group) => ({
  id: g.id,
  name: g.name,
  description: g.description,
  source: g.source,
  externalId: g.externalId,
  createdAt: iso(g.createdAt),
});
