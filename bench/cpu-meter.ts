import fs from 'node:fs';
import type { Client } from 'pg';

/**
 * CPU used by the bench process and by the PostgreSQL server, read around each load. Wall
 * time says how fast a side was; CPU says what one call cost, and on a 2-core machine shared
 * by both programs that cost decides the throughput. (A sampling profile cannot tell it: it
 * counts in wall time, so the process's time preempted by PostgreSQL lands on its writev.)
 */

/** CPU milliseconds used so far. `postgres` is null where /proc cannot be read (not Linux). */
export interface CpuReading {
  bench: number;
  postgres: number | null;
}

let postmaster: number | undefined;

// /proc/<pid>/stat: fields after the command name, 0-based: ppid 1, utime 11, stime 12,
// cutime 13, cstime 14, in clock ticks (100 a second on Linux).
const TICK_MS = 10;
function statOf(pid: string): number[] | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s
      .slice(s.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
  } catch {
    return null; // exited since the directory was listed
  }
}

/** Finds the server behind `db` (on this machine): its backend's parent is the postmaster. */
export async function watchPostgresCpu(db: Client) {
  const { rows } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const stat = statOf(String(rows[0].pid));
  postmaster = stat ? stat[1] : undefined;
}

/** The postmaster found, for another thread to read it too (`watchPostmaster`). */
export const postmasterPid = () => postmaster;

export function watchPostmaster(pid: number | undefined) {
  postmaster = pid;
}

/**
 * The postmaster's own time, its children's, and that of children it has reaped (cutime), so
 * that an autovacuum worker which came and went within a load still counts.
 */
function postgresMs(): number | null {
  if (postmaster === undefined) return null;
  const own = statOf(String(postmaster));
  if (!own) return null;
  let ticks = own[11] + own[12] + own[13] + own[14];
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = statOf(pid);
    if (stat && stat[1] === postmaster) ticks += stat[11] + stat[12];
  }
  return ticks * TICK_MS;
}

export function readCpu(): CpuReading {
  const { user, system } = process.cpuUsage();
  return { bench: (user + system) / 1000, postgres: postgresMs() };
}

/** CPU used between two readings. */
export const cpuSince = (from: CpuReading, to: CpuReading = readCpu()): CpuReading => ({
  bench: to.bench - from.bench,
  postgres: to.postgres === null || from.postgres === null ? null : to.postgres - from.postgres,
});

export const addCpu = (a: CpuReading, b: CpuReading): CpuReading => ({
  bench: a.bench + b.bench,
  postgres: a.postgres === null || b.postgres === null ? null : a.postgres + b.postgres,
});
