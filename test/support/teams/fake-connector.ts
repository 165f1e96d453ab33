import { LocalServer } from '../local-server';
import express from 'express';
import { TEAMS_LIMITS, type Limit } from '../../../bot/core/rate-limiter';

export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  activityId?: string;
  body: Record<string, unknown>;
  authorized: boolean;
  /** The status it was refused with; unset when it went through. */
  refusedWith?: number;
}

export interface Member {
  id: string;
  aadObjectId: string;
  name: string;
  email: string;
  userPrincipalName: string;
  tenantId: string;
}

/**
 * The Bot Connector service as botbuilder calls it, over real HTTP on 127.0.0.1: it records
 * every call, answers member lookups from the people it is given, and enforces Teams' per
 * conversation and per tenant limits with 429 and Retry-After (time from `now`, so that
 * tests control it without waiting).
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  readonly members = new Map<string, Member>();
  /** Sends refused with a status (forced failures and limits exceeded). */
  refused = 0;
  private server?: LocalServer;
  private sent = new Map<string, number[]>();
  private failures: Array<{ status: number; retryAfter?: number }> = [];
  private nextId = 1;
  limits: { conversation: Limit[]; tenant: Limit[] } = TEAMS_LIMITS;
  now: () => number = () => Date.now();

  get url(): string {
    return `${this.server!.url}/`;
  }

  /** The next `count` sends fail with `status` (and Retry-After seconds, when given). */
  failNext(count: number, status: number, retryAfter?: number) {
    for (let i = 0; i < count; i++) this.failures.push({ status, retryAfter });
  }

  /** Sends (posts and updates) that went through, optionally to one conversation. */
  sends(conversationId?: string): ConnectorCall[] {
    return this.calls.filter(
      (c) =>
        c.method !== 'GET' &&
        !c.refusedWith &&
        (!conversationId || c.conversationId === conversationId),
    );
  }

  async start(): Promise<this> {
    const app = express();
    app.use(express.json({ limit: '1mb' }));
    app.get('/v3/conversations/:conversationId/members/:memberId', (req, res) => {
      this.record(req);
      const member = [...this.members.values()].find(
        (m) => m.id === req.params.memberId || m.aadObjectId === req.params.memberId,
      );
      if (!member) return void res.status(404).json({ error: { code: 'MemberNotFound' } });
      res.json(member);
    });
    app.post('/v3/conversations', (req, res) => {
      this.record(req);
      res.json({ id: `conversation-${this.nextId++}` });
    });
    const send = (req: express.Request, res: express.Response) => {
      const call = this.record(req);
      const refusal = this.refusal(call.conversationId, req.body?.conversation?.tenantId);
      if (refusal) {
        this.refused += 1;
        call.refusedWith = refusal.status;
        if (refusal.retryAfter !== undefined) res.set('Retry-After', String(refusal.retryAfter));
        return void res.status(refusal.status).json({ error: { code: 'Throttled' } });
      }
      res.json({ id: req.method === 'PUT' ? req.params.activityId : `activity-${this.nextId++}` });
    };
    app.post('/v3/conversations/:conversationId/activities', send);
    app.post('/v3/conversations/:conversationId/activities/:activityId', send);
    app.put('/v3/conversations/:conversationId/activities/:activityId', send);
    this.server = await LocalServer.start(app);
    return this;
  }

  async stop() {
    await this.server?.stop();
  }

  private record(req: express.Request): ConnectorCall {
    const call: ConnectorCall = {
      method: req.method,
      path: req.path,
      conversationId: String(req.params.conversationId ?? ''),
      activityId: req.params.activityId as string | undefined,
      body: (req.body ?? {}) as Record<string, unknown>,
      authorized: /^Bearer .+/.test(req.get('authorization') ?? ''),
    };
    this.calls.push(call);
    return call;
  }

  /** A forced failure, or a limit this send would exceed; counts the send when it passes. */
  private refusal(conversationId: string, tenantId = 'tenant') {
    const forced = this.failures.shift();
    if (forced) return forced;
    const now = this.now();
    const keys: Array<[string, Limit[]]> = [
      [`c:${conversationId}`, this.limits.conversation],
      [`t:${tenantId}`, this.limits.tenant],
    ];
    for (const [key, limits] of keys) {
      const times = this.sent.get(key) ?? [];
      for (const { max, windowMs } of limits) {
        const recent = times.filter((t) => t > now - windowMs);
        if (recent.length >= max) {
          return { status: 429, retryAfter: Math.ceil((recent[0] + windowMs - now) / 1000) };
        }
      }
    }
    for (const [key] of keys) this.sent.set(key, [...(this.sent.get(key) ?? []), now]);
    return null;
  }
}
