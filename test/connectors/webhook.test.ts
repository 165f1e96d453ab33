import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import { ConnectorRouter } from '../../server/connectors';
import { WebhookConnector } from '../../server/connectors/webhook';
import { sign, verify } from '../../server/connectors/webhook-signature';
import type { ProvisioningTarget } from '../../server/domain/ports';
import { createServices } from '../../server/domain/services';
import { createHarness, packageWithPolicy, type Harness } from '../support/domain';
import { LocalServer } from '../support/local-server';

// The webhook connector against a real local receiver: what it signs, what it retries, and
// what a fulfillment records when the receiver fails.

const SECRET = 'webhook-test-secret-0123456789abcdef';
const OPENSSL_VECTOR = 'c6ef4734033cee2367414a0939385eca0397754aa7a59716da7463a9298b5146';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver answering each call with the next of `answers` (the last one repeats). */
async function receiver(answers: Array<(res: ServerResponse) => void>) {
  const calls: Received[] = [];
  const server = await LocalServer.start((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      calls.push({ headers: req.headers, body });
      answers[Math.min(calls.length, answers.length) - 1](res);
    });
  });
  return { server, calls };
}

const status =
  (code: number, headers: Record<string, string> = {}) =>
  (res: ServerResponse) =>
    res.writeHead(code, headers).end();
const never = () => undefined;

const target = (url: string | undefined): ProvisioningTarget => ({
  user: { id: 'u-1', email: 'user1@woodgrove.example' },
  resource: {
    id: 'r-1',
    type: 'webhook',
    originId: 'payroll',
    attributes: url ? { url } : {},
  },
  role: { id: 'role-1', name: 'member' },
  actionId: 'f-1.0',
});

function connector(extra: Partial<ConstructorParameters<typeof WebhookConnector>[0]> = {}) {
  const slept: number[] = [];
  const c = new WebhookConnector({
    secret: SECRET,
    sleep: async (ms) => void slept.push(ms),
    ...extra,
  });
  return { c, slept };
}

test('a grant is a signed JSON POST that the receiver can verify', async () => {
  const { server, calls } = await receiver([status(204)]);
  try {
    await connector().c.grant(target(`${server.url}/hook`));
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(JSON.parse(call.body)).toEqual({
      action: 'grant',
      actionId: 'f-1.0',
      user: { id: 'u-1', email: 'user1@woodgrove.example' },
      resource: { id: 'r-1', originId: 'payroll', type: 'webhook' },
      role: { id: 'role-1', name: 'member' },
    });
    const headers = {
      signature: call.headers['x-accessbot-signature'] as string,
      timestamp: call.headers['x-accessbot-timestamp'] as string,
    };
    expect(verify(SECRET, headers, call.body)).toBe(true);
    expect(verify('another-secret-of-enough-length-000', headers, call.body)).toBe(false);
    expect(verify(SECRET, headers, call.body.replace('grant', 'revoke'))).toBe(false);
    const later = Number(headers.timestamp) + 301;
    expect(verify(SECRET, headers, call.body, later)).toBe(false);
  } finally {
    await server.stop();
  }
});

test('a 500 is retried with backoff, and the same action id each time', async () => {
  const { server, calls } = await receiver([status(500), status(502), status(200)]);
  try {
    const { c, slept } = connector();
    await c.revoke(target(`${server.url}/hook`));
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((call) => JSON.parse(call.body).actionId))).toEqual(
      new Set(['f-1.0']),
    );
    expect(slept).toEqual([500, 1000]);
  } finally {
    await server.stop();
  }
});

test("a 429 waits for the receiver's Retry-After", async () => {
  const { server, calls } = await receiver([status(429, { 'retry-after': '2' }), status(200)]);
  try {
    const { c, slept } = connector();
    await c.grant(target(`${server.url}/hook`));
    expect(calls).toHaveLength(2);
    expect(slept).toEqual([2000]);
  } finally {
    await server.stop();
  }
});

test('a refusal (4xx) is not retried; a receiver that never answers times out', async () => {
  const refused = await receiver([status(403)]);
  const silent = await receiver([never]);
  try {
    const { c } = connector({ timeoutMs: 100, attempts: 2 });
    await expect(c.grant(target(`${refused.server.url}/hook`))).rejects.toThrow('answered 403');
    expect(refused.calls).toHaveLength(1);
    await expect(c.grant(target(`${silent.server.url}/hook`))).rejects.toThrow('timed out');
    expect(silent.calls).toHaveLength(2);
    await expect(c.grant(target(undefined))).rejects.toThrow('has no webhook url');
  } finally {
    await refused.server.stop();
    await silent.server.stop();
  }
});

test('the signature is HMAC-SHA256 of "<timestamp>.<raw body>", as the README says', () => {
  // Computed with: printf '1700000000.{}' | openssl dgst -sha256 -hmac k
  expect(sign('k', 1700000000, '{}')).toBe(`v1=${OPENSSL_VECTOR}`);
});

describe('through fulfillment', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  test('roles on two receivers, one failing: partially delivered, the error on its role', async () => {
    const ok = await receiver([status(200)]);
    const down = await receiver([status(503)]);
    try {
      const fixture = await packageWithPolicy(h, { requestorScope: 'none' });
      const roleNames = new Map<string, string>();
      for (const [name, url] of [
        ['payroll', ok.server.url],
        ['ledger', down.server.url],
      ]) {
        const resource = await h.services.resources.add(h.api, fixture.catalog.id, {
          type: 'webhook',
          originId: `${name}-${fixture.pkg.id}`,
          displayName: name,
          description: '',
          attributes: { url: `${url}/hook` },
          roles: [{ name: 'user', description: '' }],
        });
        await h.services.packages.addResourceRole(h.api, fixture.pkg.id, resource.roles[0].id);
        roleNames.set(resource.roles[0].id, name);
      }
      const user = await h.user('Webhook User');
      const assignment = await h.services.assignments.assignDirectly(h.api, {
        userId: user.id,
        packageId: fixture.pkg.id,
        policyId: fixture.policy.id,
      });
      // The package's m365 group has no connector here: it fails with its own message.
      const worker = createServices({
        ...h.services.ctx,
        provisioner: new ConnectorRouter({
          webhook: new WebhookConnector({ secret: SECRET, sleep: async () => undefined }),
        }),
        logger: pino({ level: 'silent' }),
      }).fulfillment;
      await worker.runUntilIdle();
      expect((await h.services.assignments.get(h.api, assignment.id)).state).toBe(
        'partiallyDelivered',
      );
      const rows = await h.services.assignments.fulfillments(h.api, assignment.id);
      const byResource = Object.fromEntries(
        rows.map((r) => [
          roleNames.get(r.resourceRoleId) ?? 'group',
          { state: r.state, error: r.lastError },
        ]),
      );
      expect(byResource).toMatchObject({
        payroll: { state: 'delivered', error: null },
        ledger: { state: 'failed', error: expect.stringMatching(/answered 503/) },
      });
      expect(byResource.group).toEqual({
        state: 'failed',
        error: 'No provisioning connector is configured for m365Group resources.',
      });
      expect(down.calls).toHaveLength(3);
    } finally {
      await ok.server.stop();
      await down.server.stop();
    }
  });
});
