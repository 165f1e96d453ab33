import type { SocketModeReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import { z } from 'zod';

const object = z.record(z.string(), z.unknown());

// What the Socket Mode client reads of each envelope before handing it to Bolt.
const ENVELOPES = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello') }),
  z.object({ type: z.literal('disconnect') }),
  z.object({
    type: z.literal('events_api'),
    envelope_id: z.string().min(1),
    payload: z.object({ event: z.object({ type: z.string() }) }),
  }),
  z.object({
    type: z.enum(['slash_commands', 'interactive']),
    envelope_id: z.string().min(1),
    payload: object,
  }),
]);

type Read = (data: unknown, isBinary: boolean) => Promise<void>;

/**
 * Validates every Socket Mode envelope at the edge. The client trusts their shape: an
 * events_api envelope without an event is an unhandled rejection, which ends the process. An
 * envelope we cannot read is acknowledged when it has an id (a redelivery would read no
 * better) and goes no further.
 */
export function guardEnvelopes(client: SocketModeReceiver['client'], logger: Logger): void {
  const readers = client.listeners('ws_message') as Read[];
  client.removeAllListeners('ws_message');
  client.on('ws_message', (data: unknown, isBinary: boolean) => {
    const envelope = parsed(data);
    if (isBinary || ENVELOPES.safeParse(envelope).success) {
      for (const read of readers) {
        read.call(client, data, isBinary).catch((err: Error) => {
          logger.error({ err: { message: err.message } }, 'Socket Mode message failed');
        });
      }
      return;
    }
    const id = (envelope as { envelope_id?: unknown } | undefined)?.envelope_id;
    const type = (envelope as { type?: unknown } | undefined)?.type;
    logger.warn({ envelopeType: String(type) }, 'unreadable Socket Mode envelope ignored');
    if (typeof id === 'string' && id !== '') {
      // The client's own acknowledgement (TypeScript-private): an empty payload for the id.
      (client as unknown as { send(id: string): Promise<void> }).send(id).catch((err: Error) => {
        logger.warn({ err: { message: err.message } }, 'could not acknowledge an envelope');
      });
    }
  });
}

function parsed(data: unknown): unknown {
  try {
    return JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data as Buffer));
  } catch {
    return undefined;
  }
}
