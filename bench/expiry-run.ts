/**
 * The mass-expiry benchmark (`npm run bench` runs it after the others; alone:
 * `npm run bench:expiry`). BENCH_EXPIRY assignments (default 100,000) ending in the same
 * minute, two webhook roles each, expired and revoked our way; then BENCH_EXPIRY_PER_JOB
 * (default 10,000) the one-Agenda-job-per-assignment way, scaled to the same count.
 * Goals: all revoked and recorded within 60 s, and at least 6× faster than per-job.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tuneHeap } from '../server/heap';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded-postgres';
import { benchPerJobExpiry, benchSetBasedExpiry, type ExpiryFigures } from './expiry-bench';
import { out, table } from './stats';

const COUNT = Number(process.env.BENCH_EXPIRY ?? 100_000);
const PER_JOB_COUNT = Number(process.env.BENCH_EXPIRY_PER_JOB ?? 10_000);
const GOAL_SECONDS = 60;
const GOAL_SPEEDUP = 6;

async function main(): Promise<number> {
  tuneHeap();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'accessbot-bench-expiry-'));
  let embedded: EmbeddedDatabase | undefined;
  try {
    embedded = await startEmbeddedPostgres({ dir: path.join(tmp, 'postgres'), persistent: false });
    out(`expiry bench: Node ${process.version}, ${os.cpus().length} CPUs`);
    const ours = await benchSetBasedExpiry(embedded.url, COUNT);
    out(`${ours.way}: ${COUNT} assignments in ${ours.seconds.toFixed(1)} s`);
    const perJob = await benchPerJobExpiry(embedded.url, PER_JOB_COUNT);
    out(`${perJob.way}: ${PER_JOB_COUNT} assignments in ${perJob.seconds.toFixed(1)} s`);

    const scaled = (perJob.seconds * COUNT) / PER_JOB_COUNT;
    const speedup = scaled / ours.seconds;
    const row = (f: ExpiryFigures, seconds: string, note: string) => [
      f.way,
      String(f.assignments),
      String(f.receiver.calls),
      String(f.receiver.repeated),
      String(f.unfinished),
      f.seconds.toFixed(1),
      seconds,
      (f.assignments / f.seconds).toFixed(0),
      String(f.peakRssMb),
      note,
    ];
    out();
    out(
      `Expiry: assignments ending in the same minute, ${2} webhook roles each, to a local ` +
        `receiver checking signatures; timed until every assignment is expired and every role's ` +
        `revocation recorded. Peak RSS of the bench process.`,
    );
    out(
      table(
        [
          '',
          'assignments',
          'revoke calls',
          'repeated',
          'unfinished',
          'seconds',
          `for ${COUNT}`,
          'per second',
          'peak MiB',
          '',
        ],
        [
          row(
            ours,
            ours.seconds.toFixed(1),
            ours.seconds <= GOAL_SECONDS
              ? `PASS (≤ ${GOAL_SECONDS} s)`
              : `FAIL (> ${GOAL_SECONDS} s)`,
          ),
          row(perJob, `${scaled.toFixed(0)} (scaled)`, ''),
        ],
      ),
    );
    const ok = speedup >= GOAL_SPEEDUP && ours.seconds <= GOAL_SECONDS;
    out(
      `set-based is ${speedup.toFixed(1)}× faster than one job per assignment ` +
        `(goal ≥ ${GOAL_SPEEDUP}×): ${speedup >= GOAL_SPEEDUP ? 'PASS' : 'FAIL'}`,
    );
    const wrong = [ours, perJob].filter(
      (f) => f.unfinished || f.receiver.repeated || f.receiver.refused,
    );
    for (const f of wrong) {
      out(
        `${f.way}: ${f.unfinished} unfinished, ${f.receiver.repeated} roles revoked more than once, ` +
          `${f.receiver.refused} calls refused`,
      );
    }
    return ok && wrong.length === 0 ? 0 : 1;
  } finally {
    await embedded?.stop().catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  },
);
