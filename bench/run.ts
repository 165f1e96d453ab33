/**
 * `npm run bench`: performance of browse and of decisions against a real PostgreSQL, each
 * reported next to a baseline measured in the same run on the same server. Not part of the
 * test suite. Options: `--explain` prints EXPLAIN ANALYZE of the browse statements;
 * BENCH_DECISIONS=K sets the number of decisions (default 2000); BENCH_HISTORY=N first adds N
 * old delivered requests with their assignments (default 0), as a long-running system has.
 * Then decisions as Teams card clicks (adaptiveCard/action invokes over HTTP) next to a bare
 * express + pg floor, at full speed (BENCH_TEAMS_DECISIONS, default 1000) and at a fixed
 * 300/s (BENCH_TEAMS_RATE_SECONDS, default 15), and a 60-approver card fan-out; the same for
 * Slack button clicks (BENCH_SLACK_DECISIONS, BENCH_SLACK_RATE_SECONDS), with acks timed while
 * Slack answers slowly; each side of those warms up first (BENCH_CHAT_WARMUP clicks, default
 * 2000). BENCH_ONLY=slack (or teams) runs that chat section alone, unseeded
 * browse and service decisions skipped.
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
import { systemClock } from '../server/domain/clock';
import { createServices } from '../server/domain/services';
import { tuneHeap } from '../server/heap';
import { browseSection } from './browse-section';
import { watchPostgresCpu } from './cpu-meter';
import { watchFullGcs } from './full-gcs';
import { decisionsSection } from './decisions-section';
import { APPROVER, seedBrowseData } from './seed';
import { out, seconds } from './stats';
import { slackSection, teamsSection, type Section } from './chat-sections';
import type { DecisionOptions } from './chat-decisions';

const POOL_SIZE = 10;
const CONCURRENCY = 8;
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 2000);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 0);
const DECISION_WARMUP = 50;
// A chat click runs through far more code (Bolt or botbuilder, express, the chat layer) than
// the floor, and V8 keeps compiling it for its first ~2000 clicks: the Slack probe went from
// 290 to 480 clicks a second over them. The figures are a running server's, so each side
// warms up this long before any is timed.
const CHAT_WARMUP = Number(process.env.BENCH_CHAT_WARMUP ?? 2000);
const EXPLAIN = process.argv.includes('--explain');
const chatOptions = (platform: 'TEAMS' | 'SLACK'): DecisionOptions => ({
  poolSize: POOL_SIZE,
  concurrency: CONCURRENCY,
  warmup: CHAT_WARMUP,
  fullSpeed: Number(process.env[`BENCH_${platform}_DECISIONS`] ?? 1000),
  ratePerSecond: 300,
  // 4,500 calls a side: a 5 s window caught one stall of 60–300 ms or none, and p99 swung
  // with it from 0.1× to 14× the floor's.
  rateSeconds: Number(process.env[`BENCH_${platform}_RATE_SECONDS`] ?? 15),
});
const ONLY = process.env.BENCH_ONLY;
const FANOUT_APPROVERS = 60;

async function main(): Promise<number> {
  // The heap grows as the server's does (server/heap.ts), for the floor and the bot alike.
  tuneHeap();
  watchFullGcs();
  const started = process.hrtime.bigint();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'accessbot-bench-'));
  let embedded: EmbeddedDatabase | undefined;
  let ds: DataSource | undefined;
  let db: Client | undefined;
  const stop = async () => {
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
    await watchPostgresCpu(db);
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

    // ---- 1. Browse; 2. decisions by the service; 3. decisions from chat, per platform -----
    const approver = await ds.manager.findOneByOrFail(User, { id: APPROVER });
    const sections: Section[] = [];
    if (!ONLY) {
      sections.push(await browseSection({ ds, db, services, explain: EXPLAIN }));
      sections.push(
        await decisionsSection({
          ds,
          db,
          dbUrl: embedded.url,
          services,
          options: {
            decisions: DECISIONS,
            history: HISTORY,
            warmup: DECISION_WARMUP,
            poolSize: POOL_SIZE,
            concurrency: CONCURRENCY,
          },
        }),
      );
    }
    for (const [name, run] of [
      ['teams', teamsSection],
      ['slack', slackSection],
    ] as const) {
      if (ONLY && ONLY !== name) continue;
      sections.push(
        await run({
          services,
          db,
          dbUrl: embedded.url,
          approver: { id: approver.id, email: approver.email, displayName: approver.displayName },
          options: chatOptions(name === 'teams' ? 'TEAMS' : 'SLACK'),
          fanoutApprovers: FANOUT_APPROVERS,
        }),
      );
    }

    // ---- Summary --------------------------------------------------------------------------
    for (const section of sections) {
      out();
      section.print();
    }
    out();
    const failures = sections.reduce((sum, c) => sum + c.failures, 0);
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
