import pino from 'pino';
import { Dispatcher } from '../../bot/core/dispatcher';
import { deliveryRenderer } from '../../bot/core/render-delivery';
import type { ChatTransport } from '../../bot/core/transport';
import { createTeamsAdapter } from '../../bot/teams/adapter';
import { TeamsTransport } from '../../bot/teams/transport';
import { renderTeamsCard } from '../../cards/render-teams';
import type { Services } from '../../server/domain/services';
import { packageWithPolicy, withSeparateConnections } from '../support/domain';
import type { Member } from '../support/teams/fake-connector';
import { conversationOf, createTeamsHarness, type TeamsHarness } from '../support/teams/harness';

// Deliveries through the real Teams transport to the fake Bot Connector: nothing lost when a
// dispatcher dies, nothing sent twice by two dispatchers, Teams' limits and Retry-After kept.

let t: TeamsHarness;
beforeAll(async () => {
  t = await createTeamsHarness();
});
afterAll(() => t.close());
// Each test starts with Teams' rate windows empty, as if a minute had passed.
beforeEach(() => t.clock.advance(60_000));

const adapter = createTeamsAdapter({ microsoftAppType: 'MultiTenant' });

function dispatcherOn(
  services: Services,
  transport: ChatTransport = new TeamsTransport(adapter, ''),
  concurrency?: number,
) {
  return new Dispatcher({
    deliveries: services.deliveries,
    transports: { teams: transport },
    render: deliveryRenderer(services, t.clock, { teams: (r) => renderTeamsCard(r.card, r.data) }),
    clock: t.clock,
    logger: pino({ level: 'silent' }),
    sleep: async (ms) => t.clock.advance(ms),
    random: () => 0.5,
    concurrency,
  });
}

/** `n` approvers known to the bot, and `requests` requests each of them must decide. */
async function approvalWork(n: number, requests: number) {
  const approvers: Member[] = [];
  for (let i = 0; i < n; i++) {
    const m = t.member(`Approver ${Math.random().toString(36).slice(2, 8)}`);
    await t.install(m);
    // Installs are Teams sends too: spread them as people would, within the tenant's limit.
    t.clock.advance(100);
    approvers.push(m);
  }
  const group = await t.services.directory.createGroup(t.api, {
    name: `Approvers ${Math.random().toString(36).slice(2, 8)}`,
    description: '',
  });
  for (const a of approvers) {
    const user = (await t.services.directory.findUserByEmail(a.email))!;
    await t.services.directory.addGroupMember(t.api, group.id, user.id);
  }
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ groupId: group.id }],
  });
  const ids: string[] = [];
  for (let i = 0; i < requests; i++) {
    const requester = await t.user(`Requester ${Math.random().toString(36).slice(2, 8)}`);
    const { request } = await t.services.requests.submit(await t.actor(requester), {
      packageId: pkg.id,
      justification: 'x',
    });
    ids.push(request.id);
  }
  return { approvers, ids };
}

const approvalPosts = (m: Member) =>
  t.connector
    .sends(conversationOf(m))
    .filter((c) => c.method === 'POST' && JSON.stringify(c.body).includes('asks for'));

async function settle(d: Dispatcher) {
  while ((await d.runOnce()) > 0);
}

test('two dispatchers on separate connections deliver each card exactly once', async () => {
  const { approvers, ids } = await approvalWork(4, 6);
  await withSeparateConnections(t, 6, async (a) =>
    withSeparateConnections(t, 6, async (b) => {
      await Promise.all([settle(dispatcherOn(a)), settle(dispatcherOn(b))]);
    }),
  );
  for (const m of approvers) expect(approvalPosts(m)).toHaveLength(ids.length);
  const [row] = await t.db.dataSource.query(
    `SELECT count(*)::int AS messages, count(DISTINCT (conversation_id, subject_id))::int AS distinct_cards
       FROM chat_messages WHERE subject_id = ANY($1)`,
    [ids],
  );
  expect(row).toEqual({ messages: 24, distinct_cards: 24 });
});

test('a dispatcher killed mid-batch loses nothing: another delivers after the lease', async () => {
  const { approvers, ids } = await approvalWork(3, 3);
  const real = new TeamsTransport(adapter, '');
  let started = 0;
  let finished = 0;
  let died!: () => void;
  const dead = new Promise<void>((resolve) => (died = resolve));
  // Two sends go through; the process dies at the third: the rest of its batch stays claimed,
  // never sent, never recorded.
  const dying: ChatTransport = {
    platform: 'teams',
    limits: real.limits,
    post: async (to, card) => {
      if (++started > 2) {
        died();
        return new Promise(() => undefined);
      }
      const posted = await real.post(to, card);
      finished += 1;
      return posted;
    },
    update: (to, card) => real.update(to, card),
  };
  const run = dispatcherOn(t.services, dying).runOnce();
  await dead;
  void run;
  // What it sent before dying it also recorded: wait for those two rows.
  const recorded = async () =>
    (
      await t.db.dataSource.query(
        `SELECT count(*)::int AS n FROM chat_messages WHERE subject_id = ANY($1)`,
        [ids],
      )
    )[0].n;
  while (finished < 2 || (await recorded()) < 2)
    await new Promise((resolve) => setImmediate(resolve));

  const survivor = dispatcherOn(t.services);
  expect(await survivor.runOnce()).toBe(0); // still leased to the dead one
  t.clock.advance(61_000);
  await settle(survivor);
  for (const m of approvers) expect(approvalPosts(m)).toHaveLength(ids.length);
  const [{ pending }] = await t.db.dataSource.query(
    `SELECT count(*)::int AS pending FROM chat_deliveries WHERE state = 'pending' AND subject_id = ANY($1)`,
    [ids],
  );
  expect(pending).toBe(0);
});

test('a send still throttled after the client retries is rescheduled; a 403 is given up', async () => {
  const { approvers, ids } = await approvalWork(1, 1);
  // The Bot Connector client retries a throttled send three times itself; then it is ours.
  const refused = t.connector.refused;
  t.connector.failNext(4, 429, 0);
  const d = dispatcherOn(t.services);
  await d.runOnce();
  expect(t.connector.refused - refused).toBe(4);
  expect(approvalPosts(approvers[0])).toHaveLength(0);
  // Rescheduled with backoff, not retried in a loop.
  expect(await d.runOnce()).toBe(0);
  t.clock.advance(1_000);
  await settle(d);
  expect(approvalPosts(approvers[0])).toHaveLength(1);

  t.connector.failNext(1, 403);
  await t.services.decisions.decide(
    await t.actor((await t.services.directory.findUserByEmail(approvers[0].email))!),
    ids[0],
    {
      decision: 'deny',
    },
  );
  await settle(d);
  const [failed] = await t.db.dataSource.query(
    `SELECT state, last_error FROM chat_deliveries WHERE subject_id = $1 AND action = 'update'`,
    [ids[0]],
  );
  expect(failed.state).toBe('failed');
  expect(failed.last_error).toMatch(/403/);
});

test('sixty approvers: every card is posted and updated within Teams limits, no 429', async () => {
  const { approvers, ids } = await approvalWork(60, 1);
  // One queue: on a manual clock, one queue's sleep jumps time while another's send is on the
  // wire, as if the network had delayed it by a second. The bench runs the queues side by side
  // in real time.
  const d = dispatcherOn(t.services, undefined, 1);
  // The installs' welcome replies shared the tenant's budget; the posts start on a fresh one.
  t.clock.advance(2_000);
  const refusedAtStart = t.connector.refused;
  await settle(d);
  for (const m of approvers) expect(approvalPosts(m)).toHaveLength(1);
  expect(t.connector.refused).toBe(refusedAtStart);
  // And the decision's updates on a budget of their own.
  t.clock.advance(2_000);
  const before = t.connector.calls.length;
  const refusedBefore = t.connector.refused;
  const approverUser = (await t.services.directory.findUserByEmail(approvers[0].email))!;
  const started = t.clock.now().getTime();
  await t.services.decisions.decide(await t.actor(approverUser), ids[0], { decision: 'approve' });
  await settle(d);
  const elapsed = t.clock.now().getTime() - started;
  const mine = new Set(approvers.map(conversationOf));
  const updates = t.connector.calls
    .slice(before)
    .filter((c) => c.method === 'PUT' && !c.refusedWith && mine.has(c.conversationId));
  expect(updates).toHaveLength(60);
  expect(t.connector.refused).toBe(refusedBefore);
  // 30 per second per tenant: 60 updates fit in about two seconds of (test) time.
  expect(elapsed).toBeLessThanOrEqual(3_000);
  const [{ failed }] = await t.db.dataSource.query(
    `SELECT count(*)::int AS failed FROM chat_deliveries WHERE subject_id = $1 AND state <> 'done'`,
    [ids[0]],
  );
  expect(failed).toBe(0);
});
