import { jsonClient } from './http-load';
import { approveClick, slackClicker } from './slack-clicks';
import { ResponseSink } from './slack-response-sink';

/**
 * Where one side of the decision benchmark gets its calls, as data the load generator's
 * thread can be given: the floor's JSON posts, Teams invokes (the activities serialised
 * ahead), Slack clicks (signed as they go, done when the decided message reaches the click's
 * response_url).
 */
export type Target =
  | { kind: 'floor'; url: string; approverId: string; label: string }
  | { kind: 'teams'; url: string; activities: Map<string, Uint8Array> }
  | { kind: 'slack'; url: string; userId: string; shows: string };

export interface Sender {
  /** Approves one request; says what was wrong with the answer (null: approved). */
  send(requestId: string): Promise<string | null>;
  close(): void;
}

/** A sender for `target`'s calls on `ids`; a Slack click's ack time goes to `acks`. */
export async function senderOf(target: Target, ids: string[], acks: number[]): Promise<Sender> {
  switch (target.kind) {
    case 'floor': {
      const client = jsonClient();
      return {
        send: async (requestId) => {
          const { approverId, label } = target;
          const res = await client.post(target.url, { requestId, approverId, label });
          return res.status === 200 ? null : `floor answered ${res.status}: ${res.text}`;
        },
        close: () => client.close(),
      };
    }
    case 'teams': {
      const client = jsonClient();
      // A thread's message hands the activities over as Uint8Arrays: viewed as Buffers once,
      // here, not copied on every send.
      const activities = new Map(
        [...target.activities].map(([id, a]) => [
          id,
          Buffer.from(a.buffer, a.byteOffset, a.length),
        ]),
      );
      return {
        send: async (requestId) => {
          const res = await client.post(target.url, activities.get(requestId));
          const body = res.body as { statusCode?: number; type?: string } | undefined;
          const decided =
            res.status === 200 &&
            body?.statusCode === 200 &&
            body.type === 'application/vnd.microsoft.card.adaptive' &&
            res.text.includes('Approved:');
          return decided ? null : `bot answered ${res.status}: ${res.text.slice(0, 300)}`;
        },
        close: () => client.close(),
      };
    }
    case 'slack': {
      const shows = new RegExp(target.shows);
      const sink = await new ResponseSink(shows).start();
      const clicker = slackClicker(target.url, (id) => sink.response(id), acks);
      // The load generator's own work (building each form) is done ahead; signing is per send.
      const clicks = new Map(ids.map((id) => [id, approveClick(target.userId, id, sink.url(id))]));
      return {
        send: (requestId) => clicker.send(requestId, clicks.get(requestId)!, shows),
        close: () => {
          clicker.close();
          sink.stop();
        },
      };
    }
  }
}
