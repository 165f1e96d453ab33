import { EventEmitter, once } from 'node:events';
import express from 'express';
import { SLACK_LIMITS, type Limit } from '../../../bot/core/rate-limiter';
import { LocalServer } from '../local-server';
import { FakeSlackSockets } from './fake-socket';

export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
}

/** A file sent through files.uploadV2: announced, its bytes posted, then completed. */
export interface SlackUpload {
  fileId: string;
  filename: string;
  length: number;
  content?: string;
  /** Set by files.completeUploadExternal: where the file was shared. */
  channel?: string;
  title?: string;
}

export interface SlackPerson {
  id: string;
  teamId: string;
  name: string;
  email: string;
  emailConfirmed: boolean;
}

/**
 * Slack's Web API as the Bolt WebClient calls it (form-encoded bodies, `blocks` and `view` as
 * JSON strings), over real HTTP on 127.0.0.1, plus the `response_url`s slash commands carry.
 * It records every call and answers from the people it is given.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly responses: Array<Record<string, unknown>> = [];
  readonly people = new Map<string, SlackPerson>();
  readonly uploads: SlackUpload[] = [];
  /** Socket Mode, on the same server (after start). */
  sockets!: FakeSlackSockets;
  /** Upload URLs answer 500, as an unreachable file store would. */
  refuseUploads = false;
  /** apps.connections.open refuses every app token, as for a revoked one. */
  refuseAppTokens = false;
  /** Every Web API call and response_url is answered only after this long, as a slow Slack. */
  delayMs = 0;
  /**
   * Slack's limits, when set (SLACK_LIMITS): chat.postMessage per channel, every chat.* call
   * per workspace; a call beyond them is answered 429 with Retry-After and counted in `refused`.
   */
  limits: { conversation: Limit[]; tenant: Limit[] } | null = null;
  refused = 0;
  private server?: LocalServer;
  private failures: Array<{ status: number; retryAfter?: number }> = [];
  private nextTs = 1;
  private readonly changes = new EventEmitter();
  private readonly sent = new Map<string, number[]>();
  private readonly byResponseId = new Map<string, Record<string, unknown>>();
  private readonly awaiting = new Map<string, (body: Record<string, unknown>) => void>();

  async start(): Promise<this> {
    const app = express();
    app.use((_req, _res, next) => (this.delayMs ? setTimeout(next, this.delayMs) : next()));
    app.post('/upload/:fileId', express.raw({ type: () => true, limit: '50mb' }), (req, res) => {
      void this.receiveUpload(req, res);
    });
    app.use(express.urlencoded({ extended: false }), express.json());
    app.post('/respond/:id', (req, res) => {
      const body = req.body as Record<string, unknown>;
      this.responses.push(body);
      this.byResponseId.set(req.params.id, body);
      this.awaiting.get(req.params.id)?.(body);
      this.awaiting.delete(req.params.id);
      this.changed();
      res.send('ok');
    });
    app.post('/api/apps.connections.open', (req, res) => {
      // Only an app-level token opens a socket; Slack refuses a bot token here.
      if (!/^Bearer xapp-/.test(req.get('authorization') ?? '') || this.refuseAppTokens) {
        res.json({ ok: false, error: 'invalid_auth' });
        return;
      }
      this.calls.push({ method: 'apps.connections.open', body: {} });
      res.json({ ok: true, url: this.sockets.connectionUrl() });
    });
    app.post('/api/:method', (req, res) => {
      const failure = req.params.method.startsWith('chat.')
        ? (this.failures.shift() ?? this.overLimit(req.params.method, String(req.body?.channel)))
        : undefined;
      if (failure) {
        if (failure.retryAfter !== undefined) res.set('Retry-After', String(failure.retryAfter));
        res.status(failure.status).json({ ok: false, error: 'ratelimited' });
        return;
      }
      const body = Object.fromEntries(
        Object.entries(req.body as Record<string, string>).map(([k, v]) => [
          k,
          k === 'blocks' || k === 'view' || k === 'files' ? JSON.parse(v) : v,
        ]),
      );
      this.calls.push({ method: req.params.method, body });
      res.json(this.answer(req.params.method, body));
      this.changed();
    });
    this.server = await LocalServer.start(app);
    this.sockets = new FakeSlackSockets(this.server.server);
    return this;
  }

  /** Resolves with what `find` finds, as soon as a recorded call, reply or upload has it. */
  async until<T>(find: () => T | undefined): Promise<T> {
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      await once(this.changes, 'change');
    }
  }

  private changed() {
    this.changes.emit('change');
  }

  // The WebClient posts the bytes as multipart form data, in a field named `body`.
  private async receiveUpload(req: express.Request, res: express.Response) {
    const upload = this.uploads.find((u) => u.fileId === req.params.fileId);
    if (!upload || this.refuseUploads) {
      res.status(upload ? 500 : 404).send('upload refused');
      return;
    }
    const form = await new Request('http://fake/upload', {
      method: 'POST',
      headers: { 'content-type': req.get('content-type') ?? '' },
      body: req.body as Buffer,
    }).formData();
    const file = form.get('body');
    upload.content = typeof file === 'string' ? file : await file?.text();
    res.send(`OK - ${upload.content?.length ?? 0}`);
    this.changed();
  }

  get url(): string {
    return this.server!.url;
  }

  /** What was posted to `responseUrl(id)`, as soon as it arrives. */
  response(id: string): Promise<Record<string, unknown>> {
    const body = this.byResponseId.get(id);
    if (body) return Promise.resolve(body);
    return new Promise((resolve) => this.awaiting.set(id, resolve));
  }

  /** A limit this call would exceed (429, Retry-After in whole seconds); counts it when not. */
  private overLimit(method: string, channel: string) {
    if (!this.limits) return undefined;
    const now = Date.now();
    const keys: Array<[string, Limit[]]> = [[`workspace`, this.limits.tenant]];
    if (method === 'chat.postMessage') keys.push([`channel:${channel}`, this.limits.conversation]);
    for (const [key, limits] of keys) {
      const times = this.sent.get(key) ?? [];
      for (const { max, windowMs } of limits) {
        const recent = times.filter((t) => t > now - windowMs);
        if (recent.length >= max) {
          this.refused += 1;
          return { status: 429, retryAfter: Math.ceil((recent[0] + windowMs - now) / 1000) };
        }
      }
    }
    for (const [key] of keys) {
      const kept = (this.sent.get(key) ?? []).filter((t) => t > now - 3_600_000);
      this.sent.set(key, [...kept, now]);
    }
    return undefined;
  }

  /** Enforce Slack's limits as the dispatcher knows them. */
  enforceLimits(limits = SLACK_LIMITS): this {
    this.limits = limits;
    return this;
  }

  /** Where a slash command's reply goes. */
  responseUrl(id: string): string {
    return `${this.url}/respond/${id}`;
  }

  /** The next chat.* call is refused with this status (and Retry-After seconds). */
  failNext(status: number, retryAfter?: number) {
    this.failures.push({ status, retryAfter });
  }

  add(person: SlackPerson): SlackPerson {
    this.people.set(person.id, person);
    return person;
  }

  stop(): Promise<void> {
    this.sockets?.close();
    return this.server?.stop() ?? Promise.resolve();
  }

  private answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'accessbot' };
      case 'users.info': {
        const p = this.people.get(String(body.user));
        if (!p) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: p.id,
            team_id: p.teamId,
            name: p.name,
            real_name: p.name,
            is_email_confirmed: p.emailConfirmed,
            profile: { email: p.email, display_name: p.name },
          },
        };
      }
      case 'chat.postMessage':
        return {
          ok: true,
          channel: `D-${String(body.channel)}`,
          ts: `1700000000.${this.nextTs++}`,
        };
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts };
      case 'conversations.open':
        return { ok: true, channel: { id: `D-${String(body.users)}` } };
      case 'files.getUploadURLExternal': {
        const fileId = `F${this.uploads.length + 1}`;
        this.uploads.push({ fileId, filename: String(body.filename), length: Number(body.length) });
        return { ok: true, upload_url: `${this.url}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const files = body.files as Array<{ id: string; title?: string }>;
        for (const f of files) {
          const upload = this.uploads.find((u) => u.fileId === f.id);
          if (!upload?.content) return { ok: false, error: 'file_upload_not_found' };
          Object.assign(upload, { channel: body.channel_id, title: f.title });
        }
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
      }
      default:
        return { ok: true };
    }
  }
}
