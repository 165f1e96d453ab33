import { In } from 'typeorm';
import { z } from 'zod';
import { attributes, foreignText, name, text } from './fields';
import {
  DirectoryRole,
  Group,
  GroupMember,
  User,
  UserIdentity,
  type Platform,
  type UserKind,
} from '../../db/entities';
import { personActor, SYSTEM, type Actor, type Via } from './actor';
import { audit } from './audit';
import type { DomainContext } from './context';
import { Forbidden, NotFound, parseInput, uniquely } from './errors';

export const userInputSchema = z
  .object({
    displayName: name(256),
    email: z.email().max(320).toLowerCase(),
    kind: z.enum(['internal', 'external']).default('internal'),
  })
  .strict();
export type UserInput = z.infer<typeof userInputSchema>;

export const groupInputSchema = z
  .object({
    name: name(256),
    description: text(2000).default(''),
  })
  .strict();
export type GroupInput = z.infer<typeof groupInputSchema>;

export interface PlatformProfile {
  platform: Platform;
  tenantId: string;
  platformUserId: string;
  email: string;
  displayName: string;
  conversationReference?: Record<string, unknown>;
}

// What a chat platform says about a user is checked like any input: the users table's CHECKs
// would otherwise turn a profile without an email or a name into a 500 on the user's first click.
const platformProfileSchema = z.object({
  platform: z.enum(['teams', 'slack']),
  tenantId: text(256),
  platformUserId: name(256),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(
      z.email({
        error:
          'Accessbot recognises people by their email address, and your chat profile shows none. Ask your administrator to add one.',
      }),
    ),
  displayName: foreignText(256),
  conversationReference: attributes.optional(),
});

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1);

/** Every suffix of a domain: a policy naming contoso.com admits eu.contoso.com too. */
export const domainSuffixes = (domain: string) =>
  domain.split('.').map((_, i, parts) => parts.slice(i).join('.'));

export class DirectoryService {
  constructor(private readonly ctx: DomainContext) {}

  /** Resolves who is acting; admin rights come from configuration, not from the database. */
  async actorFor(userId: string, via: Via): Promise<Actor> {
    return personActor(await this.getUser(userId), this.ctx.admins, via);
  }

  async getUser(id: string): Promise<User> {
    const user = await this.ctx.db.manager.findOneBy(User, { id });
    if (!user) throw new NotFound('User', id);
    return user;
  }

  async findUserByEmail(email: string): Promise<User | null> {
    return this.ctx.db.manager.findOneBy(User, { email: email.trim().toLowerCase() });
  }

  listUsers(opts: { limit: number; offset: number }) {
    return this.ctx.db.manager.find(User, {
      order: { email: 'ASC' },
      take: opts.limit,
      skip: opts.offset,
    });
  }

  async createUser(actor: Actor, raw: UserInput): Promise<User> {
    requireAdmin(actor, 'add users');
    const input = parseInput(userInputSchema, raw);
    return this.ctx.db.transaction(async (em) => {
      const user = await uniquely(
        em.save(
          em.create(User, {
            ...input,
            domain: domainOf(input.email),
            kind: input.kind as UserKind,
          }),
        ),
        `A user with email ${input.email} exists.`,
      );
      await audit(em, this.ctx.clock, actor, 'user.created', { type: 'user', id: user.id });
      return user;
    });
  }

  /**
   * Finds or creates the person behind a chat identity. Identities are linked by the email the
   * platform verified, so someone who requests in Slack can be approved from Teams.
   */
  async resolvePlatformUser(raw: PlatformProfile): Promise<User> {
    const profile = parseInput(platformProfileSchema, raw);
    const email = profile.email;
    const displayName = profile.displayName || email.slice(0, email.indexOf('@'));
    const system: Actor = { ...SYSTEM, channel: profile.platform };
    return this.ctx.db.transaction(async (em) => {
      const identity = await em.findOneBy(UserIdentity, {
        platform: profile.platform,
        tenantId: profile.tenantId,
        platformUserId: profile.platformUserId,
      });
      if (identity) {
        if (profile.conversationReference) {
          await em.query(`UPDATE user_identities SET conversation_reference = $2 WHERE id = $1`, [
            identity.id,
            profile.conversationReference,
          ]);
        }
        return em.findOneByOrFail(User, { id: identity.userId });
      }
      const home = this.ctx.homeDomains ?? [];
      const member = !home.length || domainSuffixes(domainOf(email)).some((d) => home.includes(d));
      const created = await em.query(
        `INSERT INTO users (display_name, email, domain, kind) VALUES ($1, $2, $3, $4)
         ON CONFLICT (email) DO NOTHING RETURNING id`,
        [displayName, email, domainOf(email), member ? 'internal' : 'external'],
      );
      const user = await em.findOneByOrFail(User, { email });
      if (created.length) {
        await audit(
          em,
          this.ctx.clock,
          system,
          'user.created',
          { type: 'user', id: user.id },
          {
            platform: profile.platform,
          },
        );
      }
      await audit(
        em,
        this.ctx.clock,
        system,
        'user.identityLinked',
        { type: 'user', id: user.id },
        {
          platform: profile.platform,
          tenantId: profile.tenantId,
          platformUserId: profile.platformUserId,
        },
      );
      await em.query(
        `INSERT INTO user_identities (user_id, platform, tenant_id, platform_user_id, conversation_reference)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (platform, tenant_id, platform_user_id) DO NOTHING`,
        [
          user.id,
          profile.platform,
          profile.tenantId,
          profile.platformUserId,
          profile.conversationReference ?? null,
        ],
      );
      return user;
    });
  }

  identitiesOf(userId: string) {
    return this.ctx.db.manager.findBy(UserIdentity, { userId });
  }

  async createGroup(actor: Actor, raw: GroupInput): Promise<Group> {
    requireAdmin(actor, 'create groups');
    const input = parseInput(groupInputSchema, raw);
    return this.ctx.db.transaction(async (em) => {
      const group = await uniquely(
        em.save(em.create(Group, { ...input, source: 'local' })),
        `A group named "${input.name}" exists.`,
      );
      await audit(em, this.ctx.clock, actor, 'group.created', { type: 'group', id: group.id });
      return group;
    });
  }

  async getGroup(id: string): Promise<Group> {
    const group = await this.ctx.db.manager.findOneBy(Group, { id });
    if (!group) throw new NotFound('Group', id);
    return group;
  }

  listGroups() {
    return this.ctx.db.manager.find(Group, { order: { name: 'ASC' } });
  }

  async groupMembers(groupId: string): Promise<User[]> {
    await this.getGroup(groupId);
    const rows = await this.ctx.db.manager.findBy(GroupMember, { groupId });
    return rows.length
      ? this.ctx.db.manager.find(User, {
          where: { id: In(rows.map((r) => r.userId)) },
          order: { email: 'ASC' },
        })
      : [];
  }

  async addGroupMember(actor: Actor, groupId: string, userId: string) {
    requireAdmin(actor, 'change group members');
    await Promise.all([this.getGroup(groupId), this.getUser(userId)]);
    await this.ctx.db.transaction(async (em) => {
      await em.query(`INSERT INTO group_members VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
        groupId,
        userId,
      ]);
      await audit(
        em,
        this.ctx.clock,
        actor,
        'group.memberAdded',
        { type: 'group', id: groupId },
        { userId },
      );
    });
  }

  async removeGroupMember(actor: Actor, groupId: string, userId: string) {
    requireAdmin(actor, 'change group members');
    await this.ctx.db.transaction(async (em) => {
      const { affected } = await em.delete(GroupMember, { groupId, userId });
      if (!affected) throw new NotFound('Group member', userId);
      await audit(
        em,
        this.ctx.clock,
        actor,
        'group.memberRemoved',
        { type: 'group', id: groupId },
        { userId },
      );
    });
  }

  async setCatalogCreator(actor: Actor, userId: string, granted: boolean) {
    requireAdmin(actor, 'appoint catalog creators');
    await this.getUser(userId);
    await this.ctx.db.transaction(async (em) => {
      if (granted) {
        await em.query(
          `INSERT INTO directory_roles VALUES ($1, 'catalogCreator') ON CONFLICT DO NOTHING`,
          [userId],
        );
      } else {
        await em.delete(DirectoryRole, { userId, role: 'catalogCreator' });
      }
      await audit(
        em,
        this.ctx.clock,
        actor,
        granted ? 'role.granted' : 'role.revoked',
        {
          type: 'user',
          id: userId,
        },
        { role: 'catalogCreator' },
      );
    });
  }
}

export function requireAdmin(actor: Actor, what: string) {
  if (!actor.isAdmin) throw new Forbidden(`Only administrators may ${what}.`);
}
