import { EventEmitter, once } from 'node:events';
import express from 'express';
import { viewProblems } from '../../../cards/slack-limits';
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

export interface SlackChannel {
  members: Set<string>;
  archived?: boolean;
  /** The workspace's #general, whose members cannot be removed. */
  general?: boolean;
}

/** The bot's own user id, as auth.test gives it. */
export const BOT_USER_ID = 'UBOT';

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
  /** By channel id; the bot is a member where `members` has BOT_USER_ID. */
  readonly channels = new Map<string, SlackChannel>();
  /** Member ids by user group id. */
  readonly userGroups = new Map<string, string[]>();
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
  /** apps.connections.open refuses every app token, as for a revoked one. */
  refuseAppTokens = false;
  /** Each person's Home as last published (views.publish), by Slack user id. */
  readonly homes = new Map<string, Record<string, unknown>>();
  /** Views refused for breaking Block Kit's limits, with what they broke. */
  readonly refused: Array<{ method: string; problems: string[] }> = [];
  private server?: LocalServer;
  private failures: Failure[] = [];
  private refusals: Array<{ method: string; answer: Record<string, unknown> }> = [];
  private nextTs = 1;
  private readonly changes = new EventEmitter();
  private nextView = 1;

  async start(): Promise<this> {
    const app = express();
    app.post('/upload/:fileId', express.raw({ type: () => true, limit: '50mb' }), (req, res) => {
      void this.receiveUpload(req, res);
    });
    app.use(express.urlencoded({ extended: false }), express.json());
    app.post('/respond/:id', (req, res) => {
      this.responses.push(req.body as Record<string, unknown>);
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
      const failure = this.takeFailure(method);
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
      this.calls.push({ method, body });
      const refusal = this.refusals.findIndex((r) => r.method === method);
      const answer =
        refusal >= 0 ? this.refusals.splice(refusal, 1)[0].answer : this.answer(method, body);
      await this.beforeAnswer?.(method, body);
      res.json(answer);
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
      case 'users.lookupByEmail': {
        const email = String(body.email).toLowerCase();
        const p = [...this.people.values()].find((x) => x.email.toLowerCase() === email);
        if (!p) return { ok: false, error: 'users_not_found' };
        return {
          ok: true,
          user: { id: p.id, team_id: p.teamId, name: p.name, profile: { email: p.email } },
        };
      }
      case 'conversations.invite':
        return this.invite(String(body.channel), String(body.users ?? ''));
      case 'conversations.kick':
        return this.kick(String(body.channel), String(body.user ?? ''));
      case 'usergroups.users.list': {
        const users = this.userGroups.get(String(body.usergroup));
        return users ? { ok: true, users: [...users] } : { ok: false, error: 'no_such_subteam' };
      }
      case 'usergroups.users.update':
        return this.updateUserGroup(String(body.usergroup), String(body.users ?? ''));
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
        return this.viewAnswer(method, body);
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

  private invite(id: string, users: string) {
    const channel = this.channels.get(id);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (channel.archived) return { ok: false, error: 'is_archived' };
    if (!channel.members.has(BOT_USER_ID)) return { ok: false, error: 'not_in_channel' };
    const ids = users.split(',').filter(Boolean);
    if (ids.length === 0) return { ok: false, error: 'no_user' };
    for (const user of ids) {
      if (user === BOT_USER_ID) return { ok: false, error: 'cant_invite_self' };
      if (!this.people.has(user)) return { ok: false, error: 'user_not_found' };
      if (channel.members.has(user)) {
        const errors = [{ user, ok: false, error: 'already_in_channel' }];
        return { ok: false, error: 'already_in_channel', errors };
      }
    }
    for (const user of ids) channel.members.add(user);
    return { ok: true, channel: { id, is_channel: true, is_member: true } };
  }

  private kick(id: string, user: string) {
    const channel = this.channels.get(id);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (user === BOT_USER_ID) return { ok: false, error: 'cant_kick_self' };
    if (channel.general) return { ok: false, error: 'cant_kick_from_general' };
    if (!this.people.has(user)) return { ok: false, error: 'user_not_found' };
    if (!channel.members.delete(user)) return { ok: false, error: 'not_in_channel' };
    return { ok: true };
  }

  private updateUserGroup(id: string, users: string) {
    if (!this.userGroups.has(id)) return { ok: false, error: 'no_such_subteam' };
    const ids = users.split(',').filter(Boolean);
    // Slack will not empty a group: it wants usergroups.disable for that.
    if (ids.length === 0) return { ok: false, error: 'no_users_provided' };
    if (ids.some((u) => !this.people.has(u))) return { ok: false, error: 'invalid_users' };
    this.userGroups.set(id, [...new Set(ids)]);
    return { ok: true, usergroup: { id, users: ids, user_count: ids.length } };
  }

  /**
   * As Slack checks a view: a trigger where one is needed (a user for a Home), then its limits
   * and its type; a view over them is refused whole and recorded in `refused`.
   */
  private viewAnswer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    const view = body.view as Record<string, unknown> | undefined;
    if (!view) return { ok: false, error: 'invalid_arguments' };
    const missing =
      method === 'views.publish'
        ? !body.user_id && 'user_id'
        : method === 'views.update'
          ? !body.view_id && !body.external_id && 'view_id'
          : !body.trigger_id && 'trigger_id';
    if (missing) {
      return { ok: false, error: 'invalid_arguments', response_metadata: [`${missing} missing`] };
    }
    const surface = method === 'views.publish' ? 'home' : 'modal';
    const problems = [
      ...viewProblems(view),
      ...(view.type === surface ? [] : [`${method} takes a ${surface} view`]),
    ];
    if (problems.length) {
      this.refused.push({ method, problems });
      return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
    }
    if (method === 'views.publish') {
      this.homes.set(String(body.user_id), view);
      return { ok: true, view: { id: `V-${String(body.user_id)}`, ...view } };
    }
    return { ok: true, view: { id: `V${this.nextView++}`, ...view } };
  }
}
