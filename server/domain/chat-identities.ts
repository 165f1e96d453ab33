import { z } from 'zod';
import { hydrate } from '../../db/hydrate';
import { User, type Platform } from '../../db/entities';
import { personActor, type Actor } from './actor';
import type { DomainContext } from './context';
import { parseInput } from './errors';
import { attributes } from './fields';
import { prepared } from './sql';

const referenceSchema = z.object({ conversationReference: attributes.optional() });

/**
 * Who is behind a chat identity the platform has already authenticated. Every click and
 * message asks this, so a known identity costs one statement; only an unknown one makes the
 * adapter fetch the profile (email) from the platform and go through
 * DirectoryService.resolvePlatformUser.
 */
export class ChatIdentityService {
  constructor(private readonly ctx: DomainContext) {}

  /** The known user, or null; keeps the latest conversation reference for proactive sends. */
  async recognise(
    platform: Platform,
    tenantId: string,
    platformUserId: string,
    conversationReference?: Record<string, unknown>,
  ): Promise<User | null> {
    const reference =
      parseInput(referenceSchema, { conversationReference }).conversationReference ?? null;
    const [row] = await prepared(
      this.ctx.db.manager,
      'identity.recognise',
      `WITH found AS (
         SELECT id, user_id, conversation_reference FROM user_identities
          WHERE platform = $1 AND tenant_id = $2 AND platform_user_id = $3),
       kept AS (
         UPDATE user_identities ui SET conversation_reference = $4::jsonb FROM found
          WHERE ui.id = found.id AND $4::jsonb IS NOT NULL
            AND found.conversation_reference IS DISTINCT FROM $4::jsonb)
       SELECT u.id, u.display_name, u.email, u.domain, u.kind, u.created_at
         FROM found JOIN users u ON u.id = found.user_id`,
      [platform, tenantId, platformUserId, reference],
    );
    if (!row) return null;
    return hydrate(this.ctx.db.manager, User, row);
  }

  /** Whether the help should show managers' commands: an admin, or owner/manager anywhere. */
  async managesAnything(actor: Actor): Promise<boolean> {
    if (actor.isAdmin) return true;
    if (!actor.userId) return false;
    const [row] = await this.ctx.db.query(
      `SELECT 1 FROM catalog_roles WHERE user_id = $1 LIMIT 1`,
      [actor.userId],
    );
    return Boolean(row);
  }

  /** The actor for a recognised user: their rights, recorded as coming through `platform`. */
  actorOf(user: User, platform: Platform): Actor {
    return personActor(user, this.ctx.admins, { channel: platform });
  }
}
