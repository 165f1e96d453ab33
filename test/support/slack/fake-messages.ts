type Json = Record<string, unknown>;

interface Message {
  type: 'message';
  ts: string;
  text: string;
  metadata?: { event_type: string; event_payload: Json };
}

/**
 * The messages the app posts, per conversation, newest first, as conversations.history reads
 * them back: with their metadata only when `include_all_metadata` asks for it, as Slack does.
 * A post with a user id as its channel lands in the app's DM with them, `D-<user id>`.
 */
export class FakeSlackMessages {
  private readonly byChannel = new Map<string, Message[]>();
  private nextTs = 1;

  answer(method: 'chat.postMessage' | 'conversations.history', body: Json): Json {
    if (method === 'chat.postMessage') {
      const channel = `D-${String(body.channel)}`;
      const message: Message = {
        type: 'message',
        ts: `1700000000.${this.nextTs++}`,
        text: String(body.text ?? ''),
        ...(body.metadata ? { metadata: body.metadata as Message['metadata'] } : {}),
      };
      this.byChannel.set(channel, [message, ...(this.byChannel.get(channel) ?? [])]);
      return { ok: true, channel, ts: message.ts };
    }
    const all = this.byChannel.get(String(body.channel)) ?? [];
    const limit = Number(body.limit ?? 100);
    const withMetadata = String(body.include_all_metadata) === 'true';
    return {
      ok: true,
      messages: all
        .slice(0, limit)
        .map(({ metadata, ...m }) => (withMetadata ? { ...m, metadata } : m)),
      has_more: all.length > limit,
    };
  }
}
