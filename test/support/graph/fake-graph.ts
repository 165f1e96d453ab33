import { randomBytes, randomUUID } from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localCertificate } from './tls';
import { handleEntra } from './fake-entra';

export interface GraphCall {
  method: string;
  /** Path and query, decoded: `/v1.0/users?$filter=mail eq 'a@b'`. */
  path: string;
  status: number;
  /** Date.now() when it arrived. */
  at: number;
}

/** Instead of what Graph would do: a status (with Retry-After seconds), or no answer at all. */
export type Answer = { status: number; retryAfter?: number; message?: string } | 'hang';

export interface FakeUser {
  id: string;
  userPrincipalName: string;
  mail: string;
}

const NOT_FOUND = (what: string) =>
  `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`;

/**
 * Microsoft Entra's token endpoint and the parts of Microsoft Graph the group connector uses,
 * over https on 127.0.0.1 (fake-entra.ts has the sign-in half). It holds users and group
 * memberships, checks every bearer token against those it issued (and their roles), records
 * calls, and can be told to answer the next Graph calls otherwise.
 */
export class FakeGraph {
  readonly tenantId = randomUUID();
  readonly clientId = randomUUID();
  readonly clientSecret = randomBytes(24).toString('base64url');
  readonly calls: GraphCall[] = [];
  readonly tokenRequests: Array<{ clientId: string; scope: string }> = [];
  /** The application permissions an admin has consented to; tokens carry them as roles. */
  readonly permissions = new Set(['GroupMember.ReadWrite.All', 'User.Read.All']);
  /** What expires_in new tokens get. */
  tokenLifetimeSeconds = 3599;
  readonly tokens = new Map<string, { expiresAt: number; roles: string[] }>();
  private readonly users: FakeUser[] = [];
  private readonly groups = new Map<string, { members: Set<string>; owners: Set<string> }>();
  private answers: Answer[] = [];

  private constructor(
    private readonly server: https.Server,
    readonly ca: string,
  ) {}

  static async start(): Promise<FakeGraph> {
    const { key, cert } = await localCertificate();
    const server = https.createServer({ key, cert });
    const fake = new FakeGraph(server, cert);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get origin(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get apiUrl(): string {
    return `${this.origin}/v1.0`;
  }

  addUser(email: string, o: { userPrincipalName?: string } = {}): FakeUser {
    const user = { id: randomUUID(), userPrincipalName: o.userPrincipalName ?? email, mail: email };
    this.users.push(user);
    return user;
  }

  addGroup(): string {
    const id = randomUUID();
    this.groups.set(id, { members: new Set(), owners: new Set() });
    return id;
  }

  /** Object ids of the group's members (or owners). */
  list(groupId: string, relation: 'members' | 'owners'): string[] {
    return [...(this.groups.get(groupId)?.[relation] ?? [])];
  }

  /** The next Graph calls (not sign-ins) get these answers, in order. */
  answerNext(...answers: Answer[]) {
    this.answers.push(...answers);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.origin);
    let body = '';
    for await (const chunk of req) body += String(chunk);
    if (handleEntra(this, req.method ?? '', url, body, res)) return;
    const call = {
      method: req.method ?? '',
      path: decodeURIComponent(url.pathname + url.search),
      status: 0,
      at: Date.now(),
    };
    this.calls.push(call);
    const reply = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    const error = (status: number, code: string, message: string) =>
      reply(status, { error: { code, message, innerError: { date: new Date().toISOString() } } });

    const roles = this.rolesOf(req.headers.authorization);
    if (!roles)
      return error(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    const answer = this.answers.shift();
    if (answer === 'hang') return;
    if (answer) {
      const headers: Record<string, string> =
        answer.retryAfter === undefined ? {} : { 'retry-after': String(answer.retryAfter) };
      call.status = answer.status;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...headers });
      return res.end(
        JSON.stringify({ error: { code: 'Fake', message: answer.message ?? 'Told to fail.' } }),
      );
    }
    const denied = () =>
      error(
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
      );

    const path = url.pathname.replace(/^\/v1\.0/, '');
    let m: RegExpMatchArray | null;
    if (req.method === 'GET' && (m = path.match(/^\/users\/([^/]+)$/))) {
      if (!roles.includes('User.Read.All')) return denied();
      const key = decodeURIComponent(m[1]).toLowerCase();
      const user = this.users.find(
        (u) => u.id === key || u.userPrincipalName.toLowerCase() === key,
      );
      return user
        ? reply(200, { id: user.id })
        : error(404, 'Request_ResourceNotFound', NOT_FOUND(key));
    }
    if (req.method === 'GET' && path === '/users') {
      if (!roles.includes('User.Read.All')) return denied();
      const filter = url.searchParams.get('$filter')?.match(/^mail eq '((?:[^']|'')*)'$/);
      if (!filter) return error(400, 'BadRequest', 'Invalid filter clause');
      const mail = filter[1].replace(/''/g, "'").toLowerCase();
      const found = this.users.filter((u) => u.mail.toLowerCase() === mail);
      return reply(200, { value: found.map((u) => ({ id: u.id })) });
    }
    const ref = path.match(/^\/groups\/([^/]+)\/(members|owners)\/(?:([^/]+)\/)?\$ref$/);
    if (!ref) return error(400, 'BadRequest', `The fake has no ${req.method} ${path}.`);
    if (!roles.includes('GroupMember.ReadWrite.All')) return denied();
    const [, groupId, relation, memberId] = ref as [string, string, 'members' | 'owners', string?];
    const group = this.groups.get(groupId);
    if (!group) return error(404, 'Request_ResourceNotFound', NOT_FOUND(groupId));
    if (req.method === 'DELETE' && memberId) {
      if (!group[relation].delete(memberId)) {
        return error(404, 'Request_ResourceNotFound', NOT_FOUND(memberId));
      }
      return reply(204);
    }
    if (req.method !== 'POST' || memberId) return error(405, 'BadRequest', 'Method not allowed.');
    const prefix = `${this.apiUrl}/directoryObjects/`;
    const odataId = (JSON.parse(body || '{}') as Record<string, unknown>)['@odata.id'];
    if (typeof odataId !== 'string' || !odataId.startsWith(prefix)) {
      return error(400, 'Request_BadRequest', 'Invalid object identifier.');
    }
    const userId = odataId.slice(prefix.length);
    if (!this.users.some((u) => u.id === userId)) {
      return error(404, 'Request_ResourceNotFound', NOT_FOUND(userId));
    }
    if (group[relation].has(userId)) {
      return error(
        400,
        'Request_BadRequest',
        `One or more added object references already exist for the following modified properties: '${relation}'.`,
      );
    }
    group[relation].add(userId);
    return reply(204);
  }

  private rolesOf(authorization: string | undefined): string[] | undefined {
    const token = this.tokens.get(authorization?.replace(/^Bearer /, '') ?? '');
    return token && token.expiresAt > Date.now() ? token.roles : undefined;
  }
}
