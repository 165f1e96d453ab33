import { spawn } from 'node:child_process';
import path from 'node:path';
import { packageWithPolicy } from '../support/domain';
import { conversationOf, createTeamsHarness, type TeamsHarness } from '../support/teams/harness';

// `npm run worker`: a process of its own that delivers what the outbox holds, and stops cleanly.

let t: TeamsHarness;
beforeAll(async () => {
  t = await createTeamsHarness();
});
afterAll(() => t.close());

const ROOT = path.resolve(__dirname, '../..');

function worker(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'server/worker.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', DEMO_DATA: 'false', ...env },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exited, output: () => output };
}

test('without DATABASE_URL the worker refuses to start, saying why', async () => {
  const w = worker({});
  expect(await w.exited).toBe(1);
  expect(w.output()).toContain('npm run worker needs DATABASE_URL');
});

test('the worker delivers the approval card a request put in the outbox, then stops on SIGTERM', async () => {
  const approver = t.member('Worker Approver');
  await t.install(approver);
  const approverUser = (await t.services.directory.findUserByEmail(approver.email))!;
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approverUser.id }],
  });
  const requester = await t.user('Worker Requester');
  await t.services.requests.submit(await t.actor(requester), {
    packageId: pkg.id,
    justification: 'x',
  });

  const spawned = new Date();
  const w = worker({ DATABASE_URL: t.db.url });
  const delivered = () =>
    t.connector
      .sends(conversationOf(approver))
      .some((c) => JSON.stringify(c.body).includes('asks for'));
  // Generous: the worker compiles and loads the whole server as it starts, and CI runs other
  // suites (and a browser) beside it.
  const deadline = Date.now() + 75_000;
  while (!delivered() && Date.now() < deadline && w.child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The worker's own log in the failure, so that it says why; beside when it was started, so
  // that a slow start shows apart from a delivery that never came.
  if (!delivered()) {
    throw new Error(
      `the worker (started ${spawned.toISOString()}) delivered nothing by ` +
        `${new Date().toISOString()}; its log:\n${w.output()}`,
    );
  }
  w.child.kill('SIGTERM');
  expect(await w.exited).toBe(0);
  const [{ pending }] = await t.db.dataSource.query(
    `SELECT count(*)::int AS pending FROM chat_deliveries WHERE state = 'pending'`,
  );
  expect(pending).toBe(0);
}, 100_000);
