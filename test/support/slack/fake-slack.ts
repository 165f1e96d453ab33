import { EventEmitter, once } from 'node:events';
import express from 'express';
import { LocalServer } from '../local-server';
import { FakeSlackLimits } from './fake-limits';
import { FakeSlackMessages } from './fake-messages';
import { FakeSlackViews } from './fake-views';
import { BOT_USER_ID, FakeSlackWorkspace } from './fake-workspace';

export { BOT_USER_ID, type SlackChannel } from './fake-workspace';
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

interface Failure {
  status: number;
  retryAfter?: number;
  /** Unset: the next chat.* call. */
  method?: string;
}

/**
 * Slack's Web API as the Bolt WebClient calls it (form-encoded bodies, `blocks` and `view` as
 * JSON strings), over real HTTP on 127.0.0.1, plus the `response_url`s slash commands carry.
 * It records every call and answers from the people, channels and user groups it is given,
 * with Slack's error codes where Slack refuses.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly responses: Array<Record<string, unknown>> = [];
  readonly people = new Map<string, SlackPerson>();
  private readonly workspace = new FakeSlackWorkspace(this.people);
  /** By channel id; the bot is a member where `members` has BOT_USER_ID. */
  readonly channels = this.workspace.channels;
  /** Member ids by user group id. */
  readonly userGroups = this.workspace.userGroups;
  /**
   * Runs after an answer is decided and before it is sent, as if it were slow on the wire: a
   * test may hold it to interleave callers.
   */
  beforeAnswer?: (method: string, body: Record<string, unknown>) => Promise<void>;
  readonly uploads: SlackUpload[] = [];
  /** Socket Mode, on the same server (after start). */
  sockets!: FakeSlackSockets;
  /** Upload URLs answer 500, as an unreachable file store would. */
  refuseUploads = false;
  /** response_urls answer 404 `expired_url`, as Slack does 30 minutes or 5 answers on. */
  expireResponseUrls = false;
  /** apps.connections.open refuses every app token, as for a revoked one. */
  refuseAppTokens = false;
  private readonly surfaces = new FakeSlackViews();
  /** Each person's Home as last published (views.publish), by Slack user id. */
  readonly homes = this.surfaces.homes;
  /** Views refused for breaking Block Kit's limits, with what they broke. */
  readonly refused = this.surfaces.refused;
  /** Every Web API call and response_url is answered only after this long, as a slow Slack. */
  delayMs = 0;
  /** Slack's rate limits, enforced once enforceLimits() is called. */
  limits?: FakeSlackLimits;
  private server?: LocalServer;
  private failures: Failure[] = [];
  private refusals: Array<{ method: string; answer: Record<string, unknown> }> = [];
  private readonly messages = new FakeSlackMessages();
  private readonly lost = new Set<string>();
  // Every caller of until() waits here (a bench has a hundred at once): no listener limit.
  private readonly changes = new EventEmitter().setMaxListeners(0);
  private readonly byResponseId = new Map<string, Record<string, unknown>>();

  async start(): Promise<this> {
    const app = express();
    app.use((_req, _res, next) => (this.delayMs ? setTimeout(next, this.delayMs) : next()));
    app.post('/upload/:fileId', express.raw({ type: () => true, limit: '50mb' }), (req, res) => {
      void this.receiveUpload(req, res);
    });
    app.use(express.urlencoded({ extended: false }), express.json());
    app.post('/respond/:id', (req, res) => {
      if (this.expireResponseUrls) {
        res.status(404).send('expired_url');
        return;
      }
      this.responses.push(req.body as Record<string, unknown>);
      this.byResponseId.set(req.params.id, req.body as Record<string, unknown>);
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
    app.post('/api/:method', async (req, res) => {
      const method = req.params.method;
      const failure =
        this.takeFailure(method) ?? this.limits?.check(method, String(req.body?.channel));
      if (failure) {
        if (failure.retryAfter !== undefined) res.set('Retry-After', String(failure.retryAfter));
        res.status(failure.status).json({ ok: false, error: 'ratelimited' });
        return;
      }
      const body = Object.fromEntries(
        Object.entries(req.body as Record<string, string>).map(([k, v]) => [
          k,
          ['blocks', 'view', 'files', 'metadata'].includes(k) ? JSON.parse(v) : v,
        ]),
      );
      this.calls.push({ method, body });
      const refusal = this.refusals.findIndex((r) => r.method === method);
      const answer =
        refusal >= 0 ? this.refusals.splice(refusal, 1)[0].answer : this.answer(method, body);
      await this.beforeAnswer?.(method, body);
      if (this.lost.delete(method)) {
        // Done, but the answer never arrives: the connection drops, as on a network fault.
        req.socket.destroy();
        return;
      }
      res.json(answer);
      this.changed();
    });
    this.server = await LocalServer.start(app);
    this.sockets = new FakeSlackSockets(this.server.server);
    return this;
  }

  /** Enforces Slack's limits as the dispatcher knows them (fake-limits.ts). */
  enforceLimits(): this {
    this.limits = new FakeSlackLimits();
    return this;
  }

  /** What was posted to `responseUrl(id)`, as soon as it arrives. */
  response(id: string): Promise<Record<string, unknown>> {
    return this.until(() => this.byResponseId.get(id));
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

  /** Where a slash command's reply goes. */
  responseUrl(id: string): string {
    return `${this.url}/respond/${id}`;
  }

  /**
   * The next chat.* call, or the next call of `method`, is refused with this HTTP status (and
   * Retry-After seconds).
   */
  failNext(status: number, retryAfter?: number, method?: string) {
    this.failures.push({ status, retryAfter, method });
  }

  /** The next call of `method` is carried out, but its answer is lost with the connection. */
  loseNextAnswer(method: string) {
    this.lost.add(method);
  }

  /** The next call of `method` answers `ok: false` with this error (and any other fields). */
  refuseNext(method: string, error: string, extra: Record<string, unknown> = {}) {
    this.refusals.push({ method, answer: { ok: false, error, ...extra } });
  }

  /** The calls of one method, oldest first. */
  callsOf(method: string): Array<Record<string, unknown>> {
    return this.calls.filter((c) => c.method === method).map((c) => c.body);
  }

  /** The views opened, updated, pushed or published, in order. */
  views(method?: 'views.open' | 'views.update' | 'views.push' | 'views.publish') {
    return this.calls.filter((c) => (method ? c.method === method : c.method.startsWith('views.')));
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
        return { ok: true, user_id: BOT_USER_ID, bot_id: 'BBOT', team_id: 'T1', user: 'accessbot' };
      case 'chat.postMessage':
      case 'conversations.history':
        return this.messages.answer(method, body);
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts };
      case 'users.info':
      case 'users.lookupByEmail':
      case 'conversations.invite':
      case 'conversations.kick':
      case 'usergroups.users.list':
      case 'usergroups.users.update':
        return this.workspace.answer(method, body);
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
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish':
        return this.surfaces.answer(method, body);
      default:
        return { ok: true };
    }
  }

  private takeFailure(method: string): Failure | undefined {
    const i = this.failures.findIndex((f) =>
      f.method ? f.method === method : method.startsWith('chat.'),
    );
    return i >= 0 ? this.failures.splice(i, 1)[0] : undefined;
  }
}
