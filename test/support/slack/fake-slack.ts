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
  /** Each person's Home as last published (views.publish), by Slack user id. */
  readonly homes = new Map<string, Record<string, unknown>>();
  /** Calls refused for breaking Block Kit's limits, with what they broke. */
  readonly refused: Array<{ method: string; problems: string[] }> = [];
  private server?: LocalServer;
  private failures: Array<{ status: number; retryAfter?: number; methods: string }> = [];
  private nextTs = 1;

  async start(): Promise<this> {
    const app = express();
    app.use(express.urlencoded({ extended: false }), express.json());
    app.post('/respond/:id', (req, res) => {
      this.responses.push(req.body as Record<string, unknown>);
      res.send('ok');
    });
    app.post('/api/:method', (req, res) => {
      const failure = req.params.method.startsWith(this.failures[0]?.methods ?? '-')
        ? this.failures.shift()
        : undefined;
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

  /** The next call of `methods` (chat.*) is refused with this status (and Retry-After s). */
  failNext(status: number, retryAfter?: number, methods = 'chat.') {
    this.failures.push({ status, retryAfter, methods });
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
      case 'views.publish': {
        // As Slack does: a view over its limits (100 blocks for a Home) is refused whole.
        const view = body.view as Record<string, unknown>;
        const problems = [
          ...viewProblems(view),
          ...(view.type === 'home' ? [] : ['views.publish takes a home view']),
        ];
        if (problems.length) {
          this.refused.push({ method, problems });
          return { ok: false, error: 'invalid_blocks', errors: problems };
        }
        this.homes.set(String(body.user_id), view);
        return { ok: true, view: { id: `V-${String(body.user_id)}`, ...view } };
      }
      default:
        return { ok: true };
    }
  }
}
