import { z } from 'zod';
import type { Group, User } from '../../../db/entities';
import { iso } from './dates';
import { dateTime, listOf, named, uuid } from './schemas';

export const userJson = named(
  'User',
  z
    .object({
      id: uuid,
      displayName: z.string(),
      email: z.string(),
      domain: z.string().describe("The email's domain, which external-domain policies match"),
      kind: z.enum(['internal', 'external']),
      createdAt: dateTime,
    })
    .strict(),
);
export type UserDto = z.output<typeof userJson>;
export const userListJson = listOf(userJson);

export const userDto = (u: User): UserDto => ({
  id: u.id,
  displayName: u.displayName,
  email: u.email,
  domain: u.domain,
  kind: u.kind,
  createdAt: iso(u.createdAt),
});

export const groupJson = named(
  'Group',
  z
    .object({
      id: uuid,
      name: z.string(),
      description: z.string(),
      source: z.enum(['local', 'slack', 'entra']),
      externalId: z.string().nullable(),
      createdAt: dateTime,
    })
    .strict(),
);
export type GroupDto = z.output<typeof groupJson>;
export const groupListJson = listOf(groupJson);

export const groupDto = (g: Group): GroupDto => ({
  id: g.id,
  name: g.name,
  description: g.description,
  source: g.source,
  externalId: g.externalId,
  createdAt: iso(g.createdAt),
});
