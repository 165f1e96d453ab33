import type { EntityManager } from 'typeorm';
import type { Platform } from '../../db/entities';
import type { DomainContext } from './context';
import { expansionsOf } from './delivery-expansions';
import { prepared, rows } from './sql';

/** The cards a delivery posts or refreshes; each is rendered from its subject when sent. */
export type CardKind =
  'approval' | 'reminder' | 'outcome' | 'task' | 'ended' | 'extend' | 'extendLast' | 'home';

export interface ClaimedDelivery {
  id: string;
  /** publish: a person's whole Home (Slack App Home), replaced each time. */
  action: 'post' | 'update' | 'publish';
  card: CardKind;
  /** 'user' for a Home: the person it shows. */
  subjectType: 'request' | 'assignment' | 'fulfillment' | 'user';
  subjectId: string;
  attempts: number;
  platform: Platform;
  /** The person it is for, and where their platform reaches them. */
  recipientUserId: string;
  identityId: string;
  tenantId: string;
  platformUserId: string;
  conversationReference: Record<string, unknown> | null;
  /** For an update: the posted message and the version it shows. */
  chatMessageId: string | null;
  conversationId: string | null;
  messageId: string | null;
  shownVersion: number | null;
}

const BATCH = 200;
const SUBJECT_TABLES = {
  request: 'access_requests',
  assignment: 'assignments',
  fulfillment: 'fulfillments',
} as const;

/**
 * The database side of chat delivery: events become sends, sends are claimed under a lease
 * by one dispatcher at a time, and each ends recorded as posted, refreshed, retried or failed.
 * The chat layer renders and transmits; it never touches these tables itself.
 */
export class DeliveryService {
  constructor(private readonly ctx: DomainContext) {}

  /** Turns waiting events into sends, each event exactly once. Returns how many it took. */
  async expandEvents(): Promise<number> {
    return this.ctx.db.transaction(async (em) => {
      const events = await rows<{ id: string; kind: string }>(
        em,
        `SELECT id, kind FROM outbox_events WHERE expanded_at IS NULL
          ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      const now = this.ctx.clock.now();
      for (const e of events) {
        for (const sql of expansionsOf(e.kind)) await em.query(sql, [e.id, now]);
      }
      if (events.length) {
        await em.query(`UPDATE outbox_events SET expanded_at = $2 WHERE id = ANY($1)`, [
          events.map((e) => e.id),
          now,
        ]);
      }
      return events.length;
    });
  }

  /**
   * Claims due sends for `leaseMs`. A card (or a Home) with a send in flight is left alone, so
   * two renders of one card never race each other to the platform.
   */
  async claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction(async (em) => {
      const claimed = await rows<Record<string, unknown>>(
        em,
        `UPDATE chat_deliveries d SET lease_until = $2, attempts = d.attempts + 1
          WHERE d.id = ANY(ARRAY(
            SELECT c.id FROM chat_deliveries c
             WHERE c.state = 'pending' AND c.due_at <= $1
               AND (c.lease_until IS NULL OR c.lease_until < $1)
               AND NOT EXISTS (SELECT 1 FROM chat_deliveries o
                                WHERE (o.chat_message_id = c.chat_message_id OR
                                       (c.action = 'publish' AND o.action = 'publish'
                                        AND o.identity_id = c.identity_id))
                                  AND o.id <> c.id AND o.state = 'pending' AND o.lease_until >= $1)
             ORDER BY c.due_at, c.id LIMIT $3 FOR UPDATE SKIP LOCKED))
          RETURNING d.id`,
        [now, new Date(now.getTime() + leaseMs), limit],
      );
      if (!claimed.length) return [];
      return this.describe(
        em,
        claimed.map((r) => String(r.id)),
      );
    });
  }

  /** A posted card: kept, so every later change re-renders it. */
  async posted(
    d: ClaimedDelivery,
    message: { conversationId: string; messageId: string; version: number },
  ): Promise<void> {
    await this.ctx.db.transaction(async (em) => {
      const [saved] = await rows<{ id: string }>(
        em,
        `INSERT INTO chat_messages (platform, conversation_id, message_id, recipient_user_id,
                                    subject_type, subject_id, card, identity_id, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (platform, conversation_id, message_id) DO NOTHING RETURNING id`,
        [
          d.platform,
          message.conversationId,
          message.messageId,
          d.recipientUserId,
          d.subjectType,
          d.subjectId,
          d.card,
          d.identityId,
          message.version,
        ],
      );
      await this.finish(em, d.id);
      if (saved) await this.refreshIfBehind(em, saved.id, d, message.version);
    });
  }

  /** A refreshed card now shows `version`; never moved back to an older one. */
  async updated(d: ClaimedDelivery, version: number): Promise<void> {
    await this.ctx.db.transaction(async (em) => {
      await em.query(
        `UPDATE chat_messages SET version = $2, updated_at = $3 WHERE id = $1 AND version < $2`,
        [d.chatMessageId, version, this.ctx.clock.now()],
      );
      await this.finish(em, d.id);
      await this.refreshIfBehind(em, d.chatMessageId!, d, version);
    });
  }

  /**
   * The clicker's own card, replaced in the response to their click: recorded as showing
   * `version`, so that the outbox does not send the same card again.
   */
  async shownInReply(
    platform: Platform,
    conversationId: string,
    messageId: string,
    version: number,
  ): Promise<void> {
    await prepared(
      this.ctx.db.manager,
      'delivery.shownInReply',
      `UPDATE chat_messages SET version = $4, updated_at = $5
        WHERE platform = $1 AND conversation_id = $2 AND message_id = $3 AND version < $4`,
      [platform, conversationId, messageId, version, this.ctx.clock.now()],
    );
  }

  /** A Home was published: nothing is kept, the next change publishes it whole again. */
  async published(d: ClaimedDelivery): Promise<void> {
    await this.ctx.db.transaction((em) => this.finish(em, d.id));
  }

  /** Nothing to send (the card already shows the current state, or its subject is gone). */
  async skipped(d: ClaimedDelivery): Promise<void> {
    await this.ctx.db.transaction((em) => this.finish(em, d.id));
  }

  /**
   * Tries again after `delayMs`. A refresh (or a Home) that a newer one already waits behind
   * is dropped: the newer one renders the same current state.
   */
  async retryLater(d: ClaimedDelivery, error: string, delayMs: number): Promise<void> {
    const now = this.ctx.clock.now();
    await this.ctx.db.transaction(async (em) => {
      const [waiting] = d.chatMessageId
        ? await em.query(
            `SELECT 1 FROM chat_deliveries WHERE chat_message_id = $1 AND id <> $2
                AND state = 'pending' AND lease_until IS NULL`,
            [d.chatMessageId, d.id],
          )
        : d.action === 'publish'
          ? await em.query(
              `SELECT 1 FROM chat_deliveries WHERE identity_id = $1 AND id <> $2
                  AND action = 'publish' AND state = 'pending' AND lease_until IS NULL`,
              [d.identityId, d.id],
            )
          : [];
      if (waiting) return this.finish(em, d.id);
      await em.query(
        `UPDATE chat_deliveries SET lease_until = NULL, due_at = $2, last_error = $3 WHERE id = $1`,
        [d.id, new Date(now.getTime() + delayMs), error.slice(0, 1000)],
      );
    });
  }

  /** Gives up: kept as failed, with the reason, for an operator to see. */
  async failed(d: ClaimedDelivery, error: string): Promise<void> {
    await this.ctx.db.query(
      `UPDATE chat_deliveries SET state = 'failed', lease_until = NULL, last_error = $2, done_at = $3
        WHERE id = $1`,
      [d.id, error.slice(0, 1000), this.ctx.clock.now()],
    );
  }

  private async finish(em: EntityManager, id: string) {
    await em.query(
      `UPDATE chat_deliveries SET state = 'done', lease_until = NULL, done_at = $2 WHERE id = $1`,
      [id, this.ctx.clock.now()],
    );
  }

  // The subject changed while the card was on its way: its change found no card to refresh
  // (or one showing an older state), so the refresh is queued here.
  private async refreshIfBehind(
    em: EntityManager,
    chatMessageId: string,
    d: ClaimedDelivery,
    shown: number,
  ) {
    if (d.subjectType === 'user') return;
    const table = SUBJECT_TABLES[d.subjectType];
    await em.query(
      `INSERT INTO chat_deliveries (action, card, subject_type, subject_id, chat_message_id, due_at)
       SELECT 'update', $2, $3, $4, $1, $6 FROM ${table} s WHERE s.id = $4 AND s.version > $5
       ON CONFLICT DO NOTHING`,
      [chatMessageId, d.card, d.subjectType, d.subjectId, shown, this.ctx.clock.now()],
    );
  }

  private async describe(em: EntityManager, ids: string[]): Promise<ClaimedDelivery[]> {
    const found = await rows<Record<string, unknown>>(
      em,
      `SELECT d.id, d.action, d.card, d.subject_type, d.subject_id, d.attempts,
              ui.platform, ui.user_id, ui.id AS identity_id, ui.tenant_id, ui.platform_user_id,
              ui.conversation_reference, m.id AS chat_message_id, m.conversation_id,
              m.message_id, m.version AS shown_version
         FROM chat_deliveries d
         LEFT JOIN chat_messages m ON m.id = d.chat_message_id
         JOIN user_identities ui ON ui.id = coalesce(d.identity_id, m.identity_id)
        WHERE d.id = ANY($1) ORDER BY d.due_at, d.id`,
      [ids],
    );
    return found.map((r) => ({
      id: String(r.id),
      action: r.action as ClaimedDelivery['action'],
      card: r.card as CardKind,
      subjectType: r.subject_type as ClaimedDelivery['subjectType'],
      subjectId: r.subject_id as string,
      attempts: r.attempts as number,
      platform: r.platform as Platform,
      recipientUserId: r.user_id as string,
      identityId: r.identity_id as string,
      tenantId: r.tenant_id as string,
      platformUserId: r.platform_user_id as string,
      conversationReference: r.conversation_reference as Record<string, unknown> | null,
      chatMessageId: (r.chat_message_id as string | null) ?? null,
      conversationId: (r.conversation_id as string | null) ?? null,
      messageId: (r.message_id as string | null) ?? null,
      shownVersion: r.shown_version === null ? null : Number(r.shown_version),
    }));
  }
}
