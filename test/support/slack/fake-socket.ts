import { EventEmitter, once } from 'node:events';
import type http from 'node:http';
import type { Socket } from 'node:net';
import WebSocket from 'ws';

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

// Slack pings its Socket Mode clients; a client that hears nothing for 30 s reconnects.
const PING_EVERY_MS = 5_000;

/**
 * Slack's side of Socket Mode, on the fake Slack's own HTTP server: `apps.connections.open`
 * hands out a ws:// URL to /socket, a connecting client is greeted with `hello`, envelopes go
 * out as Slack sends them, and every acknowledgement is recorded by envelope id. An envelope
 * that is never acknowledged is what Slack would redeliver: tests assert there are none.
 */
export class FakeSlackSockets {
  readonly acks: SocketAck[] = [];
  /** Acknowledgements that named no envelope we sent, or came twice. */
  readonly strayAcks: unknown[] = [];
  private readonly server = new WebSocket.Server({ noServer: true });
  private readonly open: WebSocket[] = [];
  private readonly events = new EventEmitter();
  private readonly sent = new Set<string>();
  private nextId = 1;
  private pings?: NodeJS.Timeout;

  constructor(private readonly http: http.Server) {
    http.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket')) {
        socket.destroy();
        return;
      }
      // @types/ws 6 predates Node's Duplex upgrade socket type; the socket is a net.Socket.
      this.server.handleUpgrade(req, socket as Socket, head, (ws) => this.accept(ws));
    });
    this.pings = setInterval(() => this.open.forEach((ws) => ws.ping()), PING_EVERY_MS);
    this.pings.unref();
  }

  /** What apps.connections.open answers. */
  connectionUrl(): string {
    const { port } = this.http.address() as { port: number };
    return `ws://127.0.0.1:${port}/socket?ticket=${this.nextId++}`;
  }

  get connections(): number {
    return this.open.length;
  }

  /** Resolves once a client is connected (it has been sent `hello`). */
  async connected(): Promise<void> {
    if (this.open.length === 0) await once(this.events, 'connection');
  }

  /** Envelopes sent with an id that no acknowledgement has named yet. */
  unacknowledged(): string[] {
    return [...this.sent].filter((id) => !this.acks.some((a) => a.envelope_id === id));
  }

  /** Resolves once no client is connected. */
  async disconnected(): Promise<void> {
    while (this.open.length > 0) await once(this.events, 'close');
  }

  /**
   * Sends an envelope as Slack does, on the newest connection, and resolves with its
   * acknowledgement.
   */
  async send(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): Promise<SocketAck> {
    const envelopeId = `env-${this.nextId++}`;
    const acked = this.ackOf(envelopeId);
    this.sendRaw(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        ...(type === 'events_api' && { retry_attempt: 0, retry_reason: '' }),
        ...extra,
      }),
      envelopeId,
    );
    return acked;
  }

  /** Sends any text as a message; with an envelope id, its acknowledgement can be awaited. */
  sendRaw(text: string, envelopeId?: string): void {
    if (envelopeId) this.sent.add(envelopeId);
    const ws = this.open.at(-1);
    if (!ws) throw new Error('no Socket Mode client is connected');
    ws.send(text);
  }

  /** The acknowledgement of an envelope, once it comes. */
  async ackOf(envelopeId: string): Promise<SocketAck> {
    const found = this.acks.find((a) => a.envelope_id === envelopeId);
    if (found) return found;
    const [ack] = (await once(this.events, `ack:${envelopeId}`)) as [SocketAck];
    return ack;
  }

  close(): void {
    clearInterval(this.pings);
    for (const ws of this.open) ws.terminate();
    this.server.close();
  }

  private accept(ws: WebSocket) {
    this.open.push(ws);
    ws.on('close', () => {
      this.open.splice(this.open.indexOf(ws), 1);
      this.events.emit('close');
    });
    ws.on('message', (data) => this.received(String(data)));
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open.length,
        debug_info: { host: 'fake-slack', approximate_connection_time: 18060 },
        connection_info: { app_id: 'A1' },
      }),
    );
    this.events.emit('connection');
  }

  private received(text: string) {
    let ack: SocketAck;
    try {
      ack = JSON.parse(text) as SocketAck;
    } catch {
      this.strayAcks.push(text);
      return;
    }
    const known = this.sent.has(ack.envelope_id);
    if (!known || this.acks.some((a) => a.envelope_id === ack.envelope_id)) {
      this.strayAcks.push(ack);
      return;
    }
    this.acks.push(ack);
    this.events.emit(`ack:${ack.envelope_id}`, ack);
  }
}
