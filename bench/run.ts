/**
 * `npm run bench`: performance of browse and of decisions against a real PostgreSQL, each
 * reported next to a baseline measured in the same run on the same server. Not part of the
 * test suite. Options: `--explain` prints EXPLAIN ANALYZE of the browse statements;
 * BENCH_DECISIONS=K sets the number of decisions (default 2000); BENCH_HISTORY=N first adds N
 * old delivered requests with their assignments (default 0), as a long-running system has.
 * Then decisions as Teams card clicks (adaptiveCard/action invokes over HTTP) next to a bare
 * express + pg floor, at full speed (BENCH_TEAMS_DECISIONS, default 1000) and at a fixed
 * 300/s (BENCH_TEAMS_RATE_SECONDS, default 5), and a 60-approver card fan-out.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from '../db/data-source';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded-postgres';
import { User } from '../db/entities';
import type { Actor } from '../server/domain/actor';
import { systemClock } from '../server/domain/clock';
import { createServices } from '../server/domain/services';
import {
  BROWSE_TARGET_P99_MS,
  cursorForPage,
  explainBrowse,
  timeBaseline,
  timeBrowse,
  verifyBrowse,
  type BrowseScenario,
  type Verification,
} from './browse-bench';
import {
  profileDecide,
  timeBareUpdates,
  timeDecisions,
  verifyDecisions,
  type ThroughputResult,
} from './decisions-bench';
import {
  APPROVER,
  BENCH_USER,
  BROWSE_SCALE,
  EXTERNAL_USER,
  seedBrowseData,
  seedDecisionData,
  seedHistory,
} from './seed';
import { ms, out, table, type Latency } from './stats';
import { FakeConnector } from '../test/support/teams/fake-connector';
import { benchFanout, type FanoutResult } from './teams-fanout-bench';
import {
  benchTeamsDecisions,
  requestsNeeded,
  type TeamsDecisionOptions,
  type TeamsDecisionResults,
} from './teams-decisions-bench';
import { seedTeamsDecisionData } from './teams-seed';
import { printFanout, printTeamsDecisions } from './teams-report';

const POOL_SIZE = 10;
const CONCURRENCY = 8;
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 2000);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 0);
const DECISION_WARMUP = 50;
const BROWSE_RUNS = { warmup: 50, n: 400 };
const EXPLAIN = process.argv.includes('--explain');
const TEAMS: TeamsDecisionOptions = {
  poolSize: POOL_SIZE,
  concurrency: CONCURRENCY,
  warmup: DECISION_WARMUP,
  fullSpeed: Number(process.env.BENCH_TEAMS_DECISIONS ?? 1000),
  ratePerSecond: 300,
  rateSeconds: Number(process.env.BENCH_TEAMS_RATE_SECONDS ?? 5),
};
const FANOUT_APPROVERS = 60;

const seconds = (since: bigint) => (Number(process.hrtime.bigint() - since) / 1e9).toFixed(1);

async function main(): Promise<number> {
  const started = process.hrtime.bigint();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'accessbot-bench-'));
  let embedded: EmbeddedDatabase | undefined;
  let ds: DataSource | undefined;
  let db: Client | undefined;
  let connector: FakeConnector | undefined;
  const stop = async () => {
    await connector?.stop().catch(() => undefined);
    await db?.end().catch(() => undefined);
    if (ds?.isInitialized) await ds.destroy().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    void stop().finally(() => process.exit(130));
  });

  try {
    let t = process.hrtime.bigint();
    embedded = await startEmbeddedPostgres({ dir: path.join(tmp, 'postgres'), persistent: false });
    ds = createDataSource({
      url: embedded.url,
      poolSize: POOL_SIZE,
      applicationName: 'accessbot-bench',
    });
    await ds.initialize();
    await migrate(ds);
    db = new Client({ connectionString: embedded.url });
    await db.connect();
    const version = (await db.query('SHOW server_version')).rows[0].server_version;
    out(
      `accessbot bench: PostgreSQL ${version} (embedded), Node ${process.version}, ` +
        `${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}; ` +
        `started and migrated in ${seconds(t)} s`,
    );

    t = process.hrtime.bigint();
    const counts = await seedBrowseData(db);
    out(
      `seeded in ${seconds(t)} s: ` +
        Object.entries(counts)
          .map(([k, v]) => `${v} ${k}`)
          .join(', '),
    );

    const services = createServices({
      db: ds,
      clock: systemClock,
      provisioner: { grant: async () => undefined, revoke: async () => undefined },
      admins: new Set(),
      logger: pino({ level: 'silent' }),
    });

    // ---- 1. Browse ------------------------------------------------------------------------
    const user = await ds.manager.findOneByOrFail(User, { id: BENCH_USER });
    const external = await ds.manager.findOneByOrFail(User, { id: EXTERNAL_USER });
    const groups = (
      await db.query('SELECT count(*)::int AS n FROM group_members WHERE user_id = $1', [user.id])
    ).rows[0].n;

    t = process.hrtime.bigint();
    const verifications: Verification[] = [
      await verifyBrowse(services.browse, db, `${user.email} (internal, ${groups} groups)`, user),
      await verifyBrowse(services.browse, db, `${user.email}, text 'proj'`, user, 'proj'),
      await verifyBrowse(services.browse, db, `${external.email} (external)`, external),
    ];
    for (const v of verifications) {
      out(
        v.ok
          ? `browse results verified: ${v.actual} packages (${v.label}; ${v.pages} pages of 20)`
          : `BROWSE RESULTS DIFFER for ${v.label}: served ${v.actual}, reference ${v.expected}: ${v.detail}`,
      );
    }
    const visible = verifications[0].actual;

    const scenarios: BrowseScenario[] = [
      { label: 'browse, first page', user, query: { limit: 20 } },
      { label: "browse, text 'proj'", user, query: { text: 'proj', limit: 20 } },
      {
        label: 'browse, page 5 (cursor)',
        user,
        query: { limit: 20, cursor: await cursorForPage(services.browse, user, { limit: 20 }, 5) },
      },
      { label: "browse, text 'zzz' (no match)", user, query: { text: 'zzz', limit: 20 } },
      { label: 'browse, external user', user: external, query: { limit: 20 } },
    ];
    const packageIds = (await db.query<{ id: string }>('SELECT id FROM access_packages')).rows.map(
      (r) => r.id,
    );
    const baseline = await timeBaseline(ds, packageIds, BROWSE_RUNS);
    const browseResults: Array<[BrowseScenario, Latency]> = [];
    for (const s of scenarios)
      browseResults.push([s, await timeBrowse(services.browse, s, BROWSE_RUNS)]);
    out(`browse timed in ${seconds(t)} s`);

    if (EXPLAIN) {
      for (const s of scenarios.slice(0, 3)) {
        out(`\nEXPLAIN ANALYZE — ${s.label} (${s.user.email})`);
        out(await explainBrowse(ds, services.browse, s));
      }
      out();
    }

    // ---- 2. Decisions ---------------------------------------------------------------------
    if (HISTORY > 0) {
      t = process.hrtime.bigint();
      await seedHistory(db, HISTORY);
      out(`seeded ${HISTORY} old delivered requests and their assignments in ${seconds(t)} s`);
    }
    t = process.hrtime.bigint();
    const data = await seedDecisionData(db, DECISIONS + DECISION_WARMUP + 1);
    const approver = await ds.manager.findOneByOrFail(User, { id: APPROVER });
    const actor: Actor = {
      userId: approver.id,
      label: approver.email,
      isAdmin: false,
      channel: 'teams',
    };
    out(
      `seeded ${data.serviceRequestIds.length + data.bareRequestIds.length} pendingApproval requests in ${seconds(t)} s`,
    );

    t = process.hrtime.bigint();
    const bare = await timeBareUpdates(
      embedded.url,
      approver.id,
      data.bareRequestIds.slice(0, DECISIONS + DECISION_WARMUP),
      {
        poolSize: POOL_SIZE,
        concurrency: CONCURRENCY,
        warmup: DECISION_WARMUP,
      },
    );
    const [probeId, ...rest] = data.serviceRequestIds;
    const profile = await profileDecide(services.decisions, actor, probeId);
    const warm = rest.slice(0, DECISION_WARMUP);
    const timed = rest.slice(DECISION_WARMUP);
    await timeDecisions(services.decisions, actor, warm, CONCURRENCY);
    const decided = await timeDecisions(services.decisions, actor, timed, CONCURRENCY);
    // Provisioning is no part of a decision: the background worker's work, done here at once.
    const provisioned = process.hrtime.bigint();
    const grants = await services.fulfillment.runUntilIdle();
    out(`provisioned ${grants} grants after the decisions in ${seconds(provisioned)} s`);
    const decisionProblem = await verifyDecisions(db, data.serviceRequestIds);
    out(
      decisionProblem
        ? `DECISIONS NOT DELIVERED: ${decisionProblem}`
        : `decisions verified: ${data.serviceRequestIds.length} requests delivered, each with its assignment and fulfillment`,
    );
    out(`decisions timed in ${seconds(t)} s`);

    // ---- 3. Decisions from Teams cards, and a 60-approver fan-out --------------------------
    t = process.hrtime.bigint();
    const teamsData = await seedTeamsDecisionData(db, requestsNeeded(TEAMS));
    connector = await new FakeConnector().start();
    const teams: TeamsDecisionResults = await benchTeamsDecisions({
      services,
      clock: systemClock,
      db,
      dbUrl: embedded.url,
      connectorUrl: connector.url,
      approver: { id: approver.id, email: approver.email, displayName: approver.displayName },
      botRequestIds: teamsData.botRequestIds,
      floorRequestIds: teamsData.floorRequestIds,
      options: TEAMS,
    });
    out(
      teams.problem
        ? `TEAMS DECISIONS NOT RECORDED: ${teams.problem}`
        : `Teams decisions verified: ${teamsData.botRequestIds.length} clicked and ` +
            `${teamsData.floorRequestIds.length} floor requests each approved once, with one audit event`,
    );
    out(`Teams decisions timed in ${seconds(t)} s`);
    t = process.hrtime.bigint();
    const fanout: FanoutResult = await benchFanout({
      services,
      clock: systemClock,
      db,
      connector,
      approvers: FANOUT_APPROVERS,
    });
    out(
      fanout.problem
        ? `FAN-OUT INCOMPLETE: ${fanout.problem}`
        : `fan-out verified: ${fanout.approvers} approval cards posted (${fanout.postSeconds.toFixed(1)} s, ` +
            `after ${fanout.leftover} earlier sends) and all updated`,
    );
    out(`fan-out run in ${seconds(t)} s`);

    // ---- Summary --------------------------------------------------------------------------
    out();
    out(
      `Browse: ${BROWSE_SCALE.packages} packages, ${BROWSE_SCALE.packages * BROWSE_SCALE.policiesPerPackage} ` +
        `policies, ${BROWSE_SCALE.users} users, ${BROWSE_SCALE.groups} groups; the user is in ${groups} groups ` +
        `and may request ${visible} packages. Sequential calls, ${BROWSE_RUNS.warmup} warm-up + ` +
        `${BROWSE_RUNS.n} timed; milliseconds.`,
    );
    const row = (label: string, l: Latency, ratio: string, verdict: string) => [
      label,
      String(l.n),
      ms(l.p50),
      ms(l.p95),
      ms(l.p99),
      ms(l.max),
      ratio,
      verdict,
    ];
    out(
      table(
        ['', 'n', 'p50', 'p95', 'p99', 'max', 'p50 / baseline', `p99 ≤ ${BROWSE_TARGET_P99_MS} ms`],
        [
          row('baseline: SELECT id … WHERE id = $1', baseline, '1.0×', ''),
          ...browseResults.map(([s, l]) =>
            row(
              s.label,
              l,
              `${(l.p50 / baseline.p50).toFixed(1)}×`,
              l.p99 <= BROWSE_TARGET_P99_MS ? 'PASS' : 'FAIL',
            ),
          ),
        ],
      ),
    );
    out();
    out(
      `Decisions: ${CONCURRENCY} in flight, pool of ${POOL_SIZE}, after ${DECISION_WARMUP} warm-up` +
        (HISTORY ? `, ${HISTORY} old requests in the table` : '') +
        '; ' +
        `each approval creates an assignment and queues 1 fulfillment, provisioned afterwards by the worker (no-op connector).`,
    );
    const tput = (label: string, r: ThroughputResult, ratio: string) => [
      label,
      String(r.count),
      r.seconds.toFixed(2),
      r.perSecond.toFixed(0),
      ratio,
    ];
    out(
      table(
        ['', 'count', 'seconds', 'per second', 'vs baseline'],
        [
          tput('baseline: bare pg conditional UPDATE', bare, '1.00×'),
          tput(
            'DecisionService.decide(approve)',
            decided,
            `${(decided.perSecond / bare.perSecond).toFixed(2)}×`,
          ),
        ],
      ),
    );
    out(
      `One decide() sends ${profile.statements} statements in ${profile.transactions} transactions ` +
        `(${profile.kinds}); the baseline sends 1.`,
    );
    out();
    printTeamsDecisions(teams, TEAMS);
    out();
    printFanout(fanout);
    out();
    const failures =
      verifications.filter((v) => !v.ok).length +
      (decisionProblem ? 1 : 0) +
      (teams.problem ? 1 : 0) +
      (fanout.problem ? 1 : 0);
    out(
      failures
        ? `${failures} correctness check(s) FAILED`
        : `all correctness checks passed; total ${seconds(started)} s, ` +
            `load average ${os.loadavg()[0].toFixed(2)} at the end`,
    );
    return failures ? 1 : 0;
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
