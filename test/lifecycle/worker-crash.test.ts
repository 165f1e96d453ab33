import { spawn } from 'node:child_process';
import path from 'node:path';
import { LIFECYCLE_JOBS, runJob } from '../../server/lifecycle/jobs';
import { notExactlyOnce } from '../support/bulk-rows';
import { newClient } from '../support/database';
import { createHarness, packageWithPolicy, type Harness } from '../support/domain';

// `kill -9` of a worker in the middle of the expiry job: each batch commits whole or not at
// all, so what the next run finds due is exactly what the killed one left.

const ROOT = path.resolve(__dirname, '../..');
const COUNT = 4000;

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

test('a worker killed mid-expiry loses nothing and doubles nothing', async () => {
  const { pkg, policy, resource } = await packageWithPolicy(h, { requestorScope: 'none' });
  const db = await newClient(h.db.url);
  try {
    // Delivered assignments that ended before both the worker's clock and the harness's.
    const { rows } = await db.query(
      `WITH u AS (
         INSERT INTO users (display_name, email, domain, kind)
         SELECT 'Crash ' || g, 'crash' || g || '@woodgrove.example', 'woodgrove.example', 'internal'
           FROM generate_series(1, $1) g RETURNING id),
       a AS (
         INSERT INTO assignments (user_id, package_id, policy_id, policy_snapshot, state, start_at, end_at)
         SELECT u.id, $2, $3, '{"name": "Policy"}', 'delivered', '2025-12-01', '2026-01-01' FROM u
         RETURNING id)
       INSERT INTO fulfillments (assignment_id, resource_role_id, action, state, attempts)
       SELECT a.id, $4, 'grant', 'delivered', 1 FROM a RETURNING assignment_id`,
      [COUNT, pkg.id, policy.id, resource.roles[0].id],
    );
    const ids: string[] = rows.map((r) => r.assignment_id);
    const expired = async () =>
      (
        await db.query(
          `SELECT count(*)::int AS n FROM assignments WHERE package_id = $1 AND state = 'expired'`,
          [pkg.id],
        )
      ).rows[0].n as number;

    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'server/worker.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        LOG_LEVEL: 'fatal',
        DEMO_DATA: 'false',
        DATABASE_URL: h.db.url,
      },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Watch the table until the first batches have committed, then kill without warning.
    let atKill = 0;
    const deadline = Date.now() + 60_000;
    while (atKill === 0 && Date.now() < deadline && child.exitCode === null) {
      atKill = await expired();
    }
    child.kill('SIGKILL');
    await exited;
    expect(atKill).toBeGreaterThan(0);
    expect(await expired()).toBeLessThan(COUNT);

    // The next run, here, finishes what is left.
    const expiry = LIFECYCLE_JOBS.find((j) => j.name === 'lifecycle: expiry')!;
    await runJob(expiry, h.services);
    expect(await expired()).toBe(COUNT);
    // Each assignment's expiry audited once and told once.
    for (const [table, where] of [
      ['audit_events', `action = 'assignment.expired'`],
      ['outbox_events', `kind = 'assignmentEnded'`],
    ]) {
      const { rows: seen } = await db.query(
        `SELECT subject_id FROM ${table} WHERE ${where} AND subject_id::text = ANY($1)`,
        [ids],
      );
      expect(
        notExactlyOnce(
          ids,
          seen.map((r) => String(r.subject_id)),
        ),
      ).toEqual([]);
    }
    const revocations = await db.query(
      `SELECT count(*)::int AS n FROM fulfillments
        WHERE assignment_id = ANY($1) AND action = 'revoke' AND generation = 1`,
      [ids],
    );
    expect(revocations.rows[0].n).toBe(COUNT);
  } finally {
    await db.end();
  }
}, 120_000);
