import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApiRouter } from '../../server/api/router';
import type { ApiToken } from '../../server/config';
import { createHarness, type Harness } from '../support/domain';

export const TOKEN = 'test-admin-api-token-4f1c2b';
export const TOKENS: ApiToken[] = [{ name: 'default', token: TOKEN }];
export const BASE = '/api/v1';

/** What the API logged, one parsed JSON line per entry, for checking what must never appear. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.lines.push(chunk.toString());
    done();
  }

  get text() {
    return this.lines.join('');
  }
}

/** A bare express app with only the admin API mounted, as the real app mounts it. */
export function apiApp(
  h: Pick<Harness, 'services'>,
  tokens: readonly ApiToken[],
  log = new LogCapture(),
) {
  const app = express();
  app.use(BASE, createApiRouter({ services: h.services, tokens, logger: pino(log) }));
  return app;
}

export interface ApiHarness extends Harness {
  app: express.Express;
  log: LogCapture;
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
  put(path: string): request.Test;
  patch(path: string, body: object): request.Test;
  del(path: string): request.Test;
  /** Rows in a table, to show that a refused call wrote nothing. */
  count(table: string): Promise<number>;
}

export async function createApiHarness(): Promise<ApiHarness> {
  const h = await createHarness();
  const log = new LogCapture();
  const app = apiApp(h, TOKENS, log);
  const http = request(app);
  const auth = (t: request.Test) => t.set('Authorization', `Bearer ${TOKEN}`);
  return {
    ...h,
    app,
    log,
    get: (path) => auth(http.get(BASE + path)),
    post: (path, body) => {
      const t = auth(http.post(BASE + path));
      return body === undefined ? t : t.send(body);
    },
    put: (path) => auth(http.put(BASE + path)),
    patch: (path, body) => auth(http.patch(BASE + path)).send(body),
    del: (path) => auth(http.delete(BASE + path)),
    count: async (table) => {
      const [{ n }] = await h.db.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`);
      return n;
    },
  };
}

/** The minimal set-up most tests need: two users, a package with one role and one policy. */
export async function requestablePackage(api: ApiHarness, policy: Record<string, unknown> = {}) {
  const n = Math.random().toString(36).slice(2, 8);
  const requester = (
    await api
      .post('/users', { displayName: `Requester ${n}`, email: `requester.${n}@woodgrove.example` })
      .expect(201)
  ).body;
  const approver = (
    await api
      .post('/users', { displayName: `Approver ${n}`, email: `approver.${n}@woodgrove.example` })
      .expect(201)
  ).body;
  const catalog = (await api.post('/catalogs', { name: `Catalog ${n}` }).expect(201)).body;
  const resource = (
    await api
      .post(`/catalogs/${catalog.id}/resources`, {
        type: 'm365Group',
        originId: `group-${n}`,
        displayName: `Group ${n}`,
      })
      .expect(201)
  ).body;
  const pkg = (
    await api.post('/accessPackages', { catalogId: catalog.id, name: `Package ${n}` }).expect(201)
  ).body;
  const member = resource.roles.find((r: { name: string }) => r.name === 'member');
  await api
    .post(`/accessPackages/${pkg.id}/resourceRoles`, { resourceRoleId: member.id })
    .expect(201);
  const pol = (
    await api
      .post('/assignmentPolicies', {
        accessPackageId: pkg.id,
        name: 'Policy',
        requestorScope: 'specificUsers',
        requestors: [{ userId: requester.id }],
        approvers: [{ userId: approver.id }],
        ...policy,
      })
      .expect(201)
  ).body;
  return { requester, approver, catalog, resource, pkg, policy: pol };
}

/** A request submitted through the API on the requester's behalf; the reply's body. */
export async function submitRequest(api: ApiHarness, requestorId: string, packageId: string) {
  return (
    await api
      .post('/assignmentRequests', { requestorId, packageId, justification: 'x' })
      .expect(201)
  ).body;
}
