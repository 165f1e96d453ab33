import express from 'express';
import { viewProblems } from '../../../cards/slack-limits';
import { LocalServer } from '../local-server';

export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
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
  private server?: LocalServer;
  private failures: Array<{ status: number; retryAfter?: number }> = [];
  private nextTs = 1;
  private nextView = 1;
  private viewRefusals: string[] = [];

  async start(): Promise<this> {
    const app = express();
    app.use(express.urlencoded({ extended: false }), express.json());
    app.post('/respond/:id', (req, res) => {
      this.responses.push(req.body as Record<string, unknown>);
      res.send('ok');
    });
    app.post('/api/:method', (req, res) => {
      const failure = req.params.method.startsWith('chat.') ? this.failures.shift() : undefined;
      if (failure) {
        if (failure.retryAfter !== undefined) res.set('Retry-After', String(failure.retryAfter));
        res.status(failure.status).json({ ok: false, error: 'ratelimited' });
        return;
      }
      const body = Object.fromEntries(
        Object.entries(req.body as Record<string, string>).map(([k, v]) => [
          k,
          k === 'blocks' || k === 'view' ? JSON.parse(v) : v,
        ]),
      );
      this.calls.push({ method: req.params.method, body });
      res.json(this.answer(req.params.method, body));
    });
    this.server = await LocalServer.start(app);
    return this;
  }

  get url(): string {
    return this.server!.url;
  }

  /** Where a slash command's reply goes. */
  responseUrl(id: string): string {
    return `${this.url}/respond/${id}`;
  }

  /** The next chat.* call is refused with this status (and Retry-After seconds). */
  failNext(status: number, retryAfter?: number) {
    this.failures.push({ status, retryAfter });
  }

  /** The next views.open or views.push is refused with this Slack error (expired_trigger_id…). */
  refuseNextView(error: string) {
    this.viewRefusals.push(error);
  }

  /** The views opened, updated or pushed, in order. */
  views(method?: 'views.open' | 'views.update' | 'views.push') {
    return this.calls.filter((c) => (method ? c.method === method : c.method.startsWith('views.')));
  }

  add(person: SlackPerson): SlackPerson {
    this.people.set(person.id, person);
    return person;
  }

  stop(): Promise<void> {
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
      case 'views.open':
      case 'views.push':
      case 'views.update':
        return this.viewAnswer(method, body);
      default:
        return { ok: true };
    }
  }

  /** As Slack checks a view: a trigger where one is needed, the limits, then the refusals asked for. */
  private viewAnswer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    const view = body.view as Record<string, unknown> | undefined;
    if (!view) return { ok: false, error: 'invalid_arguments' };
    if (method !== 'views.update' && !body.trigger_id) {
      return { ok: false, error: 'invalid_arguments', response_metadata: ['trigger_id missing'] };
    }
    if (method === 'views.update' && !body.view_id && !body.external_id) {
      return { ok: false, error: 'invalid_arguments', response_metadata: ['view_id missing'] };
    }
    const problems = viewProblems(view);
    if (problems.length) {
      return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
    }
    const refusal = method === 'views.update' ? undefined : this.viewRefusals.shift();
    if (refusal) return { ok: false, error: refusal };
    return { ok: true, view: { id: `V${this.nextView++}`, ...view } };
  }
}
