import type { DataSource } from 'typeorm';
import { ACTIVE_STATES_SQL } from '../../db/entities';
import type { Clock } from '../domain/clock';

/** Lifecycle work due now and not yet done, per kind, for /metrics. */
export interface Backlog {
  due: Record<WorkKind, number>;
  /** Seconds since the oldest due item fell due (0 when nothing is due). */
  lagSeconds: Record<WorkKind, number>;
  /** Scheduler jobs being run now, and jobs whose last run failed. */
  jobsRunning: number;
  jobsFailed: number;
}

export const WORK_KINDS = ['approvalTimeout', 'scheduledStart', 'expiry', 'fulfillment'] as const;
export type WorkKind = (typeof WORK_KINDS)[number];

// One statement; each part reads a partial index made for finding this work.
const BACKLOG_SQL = `
  WITH due AS (
    SELECT 'approvalTimeout' AS kind, count(*) AS n, min(approval_due_at) AS oldest
      FROM access_requests WHERE state = 'pendingApproval' AND approval_due_at <= $1
    UNION ALL
    SELECT 'scheduledStart', count(*), min(start_at)
      FROM assignments WHERE state = 'scheduled' AND start_at <= $1
    UNION ALL
    SELECT 'expiry', count(*), min(end_at)
      FROM assignments WHERE end_at <= $1 AND state IN ${ACTIVE_STATES_SQL}
    UNION ALL
    SELECT 'fulfillment', count(*), min(coalesce(f.next_attempt_at, f.updated_at))
      FROM fulfillments f JOIN assignments a ON a.id = f.assignment_id
     WHERE f.state IN ('pending', 'failed') AND a.state <> 'scheduled'
       AND (f.next_attempt_at IS NULL OR f.next_attempt_at <= $1)
       AND (f.claimed_until IS NULL OR f.claimed_until <= $1))
  SELECT kind, n::int, extract(epoch FROM ($1 - oldest))::float AS lag FROM due
  UNION ALL
  SELECT 'jobsRunning', count(*)::int, 0 FROM agenda_jobs WHERE locked_at IS NOT NULL
  UNION ALL
  SELECT 'jobsFailed', count(*)::int, 0 FROM agenda_jobs
   WHERE failed_at IS NOT NULL AND (last_finished_at IS NULL OR failed_at >= last_finished_at)`;

export async function lifecycleBacklog(db: DataSource, clock: Clock): Promise<Backlog> {
  const rows: Array<{ kind: string; n: number; lag: number | null }> = await db.query(BACKLOG_SQL, [
    clock.now(),
  ]);
  const backlog: Backlog = {
    due: { approvalTimeout: 0, scheduledStart: 0, expiry: 0, fulfillment: 0 },
    lagSeconds: { approvalTimeout: 0, scheduledStart: 0, expiry: 0, fulfillment: 0 },
    jobsRunning: 0,
    jobsFailed: 0,
  };
  for (const r of rows) {
    if (r.kind === 'jobsRunning') backlog.jobsRunning = r.n;
    else if (r.kind === 'jobsFailed') backlog.jobsFailed = r.n;
    else {
      backlog.due[r.kind as WorkKind] = r.n;
      backlog.lagSeconds[r.kind as WorkKind] = Math.max(0, r.lag ?? 0);
    }
  }
  return backlog;
}
